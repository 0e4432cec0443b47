import pytest

from gongkai.errors import ServiceError
from gongkai.orgs import services


@pytest.mark.parametrize(("password", "reason"), [
    ("Ab1!xyz", "至少需要8个字符"),              # too short
    ("lowercaseonly", "至少3类"),                # one class
    ("lowercase12345", "至少3类"),               # two classes
    ("Password1!", "太常见"),                     # Django's common-password list
    ("Xx-drafter_a-9", "不能包含用户名"),          # contains the user name
    ("XX-DRAFTER_A-9", "不能包含用户名"),          # in any letter case
])
def test_weak_passwords_are_refused_with_the_reason(world, password, reason):
    with pytest.raises(ServiceError) as caught:
        services.user_set_password(actor=None, user=world.drafter_a, password=password)
    assert caught.value.code == "PASSWORD_WEAK" and reason in caught.value.message


@pytest.mark.parametrize("password", ["Qinghe-Xian-2026", "qinghe#xian2026", "QINGHEXIAN#2026", "春天-Spring-7"])
def test_passwords_with_three_character_classes_are_accepted(world, password):
    services.user_set_password(actor=None, user=world.drafter_a, password=password)
    world.drafter_a.refresh_from_db()
    assert world.drafter_a.check_password(password)


def test_a_new_account_made_by_an_administrator_must_change_its_password(world):
    person = services.user_create(actor=world.admin_a, agency=world.agency_a, username="newcomer", full_name="新人",
                                  password="Initial-Pass-42", roles=["drafter"])
    assert person.account_state.must_change_password
    services.user_set_password(actor=person, user=person, password="Chosen-By-Me-42")
    person.account_state.refresh_from_db()
    assert not person.account_state.must_change_password
