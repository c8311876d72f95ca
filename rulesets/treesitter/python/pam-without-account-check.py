# Test cases for pam-without-account-check.yaml (annotations as in semgrep --test).
from ctypes import CDLL, c_int
from ctypes.util import find_library

LIBPAM = CDLL(find_library("pam"))

# ruleid: python.authn.pam-without-account-check
PAM_AUTHENTICATE = LIBPAM.pam_authenticate
PAM_AUTHENTICATE.restype = c_int


def authenticate(handle):
    retval = PAM_AUTHENTICATE(handle, 0)
    return retval == 0


def authenticate_direct(handle):
    # ruleid: python.authn.pam-without-account-check
    return LIBPAM.pam_authenticate(handle, 0) == 0


def explain():
    # the name inside a string is not a call
    # ok: python.authn.pam-without-account-check
    return "pam_authenticate checks the password"
