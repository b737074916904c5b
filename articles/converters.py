"""Path converters for date archives: /archive/2026/03/09/."""


class FixedDigitsConverter:
    digits = 0

    def __init__(self):
        self.regex = f"[0-9]{{{self.digits}}}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return f"{int(value):0{self.digits}d}"


class YearConverter(FixedDigitsConverter):
    digits = 4

    def __init__(self):
        # Years 1000-2999: a news archive has nothing else, and 9999-12-31 would
        # overflow the date arithmetic of Django's archive views.
        self.regex = "[12][0-9]{3}"


class TwoDigitConverter(FixedDigitsConverter):
    digits = 2
