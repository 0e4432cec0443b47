"""Signals orgs sends for apps above it to act on, so that orgs need not import them."""

from django.dispatch import Signal

# Sent inside the transaction that stores a new password for ``user``; ``by`` is the account that
# set it (None at the command line). The accounts app decides from it whether the holder must
# change it at the next sign-in.
password_set = Signal()
