"""Django's JSON serialization, with times kept to the microsecond.

Django's own JSON encoder cuts times to milliseconds, so a restored newsroom would
differ from the one backed up (and edits racing within a millisecond could not be
told apart). Loading needs nothing special: Django's JSON loader reads full times.
"""

import datetime

from django.core.serializers.json import (
    Deserializer,  # noqa: F401 - half of the format
    DjangoJSONEncoder,
)
from django.core.serializers.json import Serializer as JSONSerializer

NAME = "newsroom-json"


class PreciseEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = PreciseEncoder
