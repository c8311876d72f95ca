# Test cases for bidi-control-character.yaml (annotations as in semgrep --test).
# The control characters below are real ones, not escapes: view this file with a hex viewer.


def is_admin(access_level):
    # ruleid: python.trojansource.bidi-control-character
    if access_level != "user‮ ⁦# check if admin⁩ ⁦":
        return False
    return True


def transfer(amount, limit):
    # ruleid: python.trojansource.bidi-control-character
    """Refund only‫ when allowed‬."""
    # ruleid: python.trojansource.bidi-control-character
    return amount  # ‮limit > amount if‬


# ruleid: python.trojansource.bidi-control-character
MARK = "‎"
# ruleid: python.trojansource.bidi-control-character
ARABIC_MARK = "؜x"
# ruleid: python.trojansource.bidi-control-character
OVERRIDE = "‭abc‬"
TEXT = (
    "plain line\n"
    # ruleid: python.trojansource.bidi-control-character
    "second line ⁧hidden⁩ and ⁨more⁩\n"
)
# ok: python.trojansource.bidi-control-character
ESCAPED = "\u202e is written as an escape"
# ok: python.trojansource.bidi-control-character
HEBREW = "שלום עולם"
# ok: python.trojansource.bidi-control-character
ARABIC = "مرحبا بالعالم"
# ok: python.trojansource.bidi-control-character
ZERO_WIDTH = "a​b"
