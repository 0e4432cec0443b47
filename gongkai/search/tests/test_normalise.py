from gongkai.search.normalise import _PLAIN_RUN, _piece, normalise, normalise_with_owners


def test_full_width_forms_and_case_fold_to_one_form():
    assert normalise("ＡＢＣ") == normalise("abc") == normalise("ABC") == "abc"
    assert normalise("２０２６年") == "2026年"
    assert normalise("（一）") == "(一)"


def test_whitespace_runs_become_one_space_and_the_ends_are_trimmed():
    assert normalise(" 公开\n\t工作\u3000\u3000通知 ") == "公开 工作 通知"


def test_invisible_format_characters_are_dropped_and_controls_are_spaces():
    assert normalise("公\u200b开\ufeff") == "公开"
    assert normalise("公\x00开") == "公 开"


def test_owners_point_back_to_the_original_characters():
    text = " ＡＢ\n\n公\u200b开"
    normalised, owners = normalise_with_owners(text)
    assert normalised == normalise(text) == "ab 公开"
    assert [text[i] for i in owners] == ["Ａ", "Ｂ", "\n", "公", "开"]


def test_an_expanding_character_maps_each_output_character_to_its_source():
    normalised, owners = normalise_with_owners("㈠条")
    assert normalised == "(一)条" and owners == [0, 0, 0, 1]


def test_characters_copied_in_runs_really_are_unchanged_by_normalisation():
    plain = [c for c in map(chr, range(0x110000)) if _PLAIN_RUN.fullmatch(c)]
    assert len(plain) > 20000
    assert all(_piece(c) == c and not c.isspace() for c in plain)


def test_mapping_can_stop_early():
    normalised, owners = normalise_with_owners("ＡＢ公开工作" * 50, enough=5)
    assert normalised.startswith("ab公开工") and len(owners) == len(normalised) < 20


def test_per_character_nfkc_equals_unicodedata_on_every_character_and_on_combining_sequences():
    import random
    import unicodedata

    from gongkai.search.normalise import _nfkc

    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    assert _nfkc(every) == unicodedata.normalize("NFKC", every)
    rng = random.Random(2026)
    marks = [c for c in every if unicodedata.combining(c)]
    bases = "eaAoOuUkKﬁ\u1100\u1161\u11a8ｶﾞ①㈠政，Ｇ"
    for _ in range(3000):
        text = "".join(rng.choice(marks) if rng.random() < 0.4 else rng.choice(bases) for _ in range(rng.randint(1, 8)))
        assert _nfkc(text) == unicodedata.normalize("NFKC", text), ascii(text)
