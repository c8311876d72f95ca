# Test cases for authn_lockout.yaml (annotations as in semgrep --test).
import logging

from flask import flash, jsonify

log = logging.getLogger(__name__)


def is_blocked(user, minutes):
    """Whether the account is locked after too many failed logins."""
    if user.failed_attempts >= 5:
        return True, (
            # ruleid: python.authn.lockout-message-reveals-account
            f"Your account is blocked for the next {minutes} "
            "minutes due to failed login attempts."
        )
    return False, None


def login_view(user, password):
    if user.locked:
        # ruleid: python.authn.lockout-message-reveals-account
        return jsonify({"msg": "This account is locked, try again later"}), 401
    if user.suspended:
        # ruleid: python.authn.lockout-message-reveals-account
        flash("Account temporarily suspended after too many attempts")
        return None
    # ok: python.authn.lockout-message-reveals-account
    return jsonify({"msg": "Invalid username or password"}), 401


def login_view_fixed(user, password, mailer):
    if user.locked:
        # the owner hears about it by mail; the requester gets the usual answer
        # ok: python.authn.lockout-message-reveals-account
        mailer.send(user.email, "Your account has been locked")
        # ok: python.authn.lockout-message-reveals-account
        log.warning("account locked: %s", user.name)
        return jsonify({"msg": "Invalid username or password"}), 401
    return None


def admin_unlock(user):
    # ok: python.authn.lockout-message-reveals-account
    return jsonify({"msg": "Account unlocked"})
