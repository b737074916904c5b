"""How one story is recognised however it comes back: by GUID, by its link with the
noise taken out, or by its title and date."""

import hashlib
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

from ..text import fold

# Query parameters that say who sent the reader, not which page it is.
TRACKING_PARAMETERS = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid",
    "mc_eid", "_ga", "_gl", "ref", "ref_src", "ref_url", "cmpid", "ocid", "spm", "smid",
    "at_medium", "at_campaign", "xtor", "ito", "icid", "__twitter_impression",
}  # fmt: skip
TRACKING_PREFIXES = ("utm_", "mtm_", "pk_", "hsa_")


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def normalise_link(url: str) -> str:
    """The link as one story has it in every feed: no scheme, no `www.`, no default port,
    no tracking parameters, no fragment, no trailing slash, parameters in order."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    host = (parts.hostname or "").lower().removeprefix("www.")
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMETERS and not key.lower().startswith(TRACKING_PREFIXES)
    )
    path = parts.path.rstrip("/")
    normal = f"{host}{path}"
    if query:
        normal += f"?{urlencode(query)}"
    return normal


def guid_key(guid: str) -> str | None:
    return _hash(guid.strip()) if guid and guid.strip() else None


def link_key(link: str) -> str | None:
    normal = normalise_link(link) if link else ""
    return _hash(normal) if normal else None


def fingerprint(title: str, published: datetime | None) -> str | None:
    """Title (in any spelling: case, Persian letter variants, spacing) and day."""
    folded = fold(title or "")
    if not folded or published is None:
        return None
    return _hash(f"{folded}|{published.date().isoformat()}")


def content_hash(*parts: str) -> str:
    """What an item says: when it changes, the item was updated."""
    return _hash("\x1f".join(parts))
