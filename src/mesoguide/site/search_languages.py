"""Material's search-language files that a site never loads, left out of every finished site.

Material copies 34 stemmers and word splitters for lunr (``assets/javascripts/lunr/``) into
every site; its search worker loads them only for languages other than English. The site
stage leaves them out of a site whose search index is English only, whichever engine built
it and whether or not the MkDocs speed-ups were on.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

LUNR_LANGUAGES = "assets/javascripts/lunr/"
SEARCH_INDEX = "search/search_index.json"


def search_languages(search_index: bytes) -> list[str] | None:
    """The languages Material's search index was built for (None if it does not say)."""
    try:
        languages = json.loads(search_index)["config"]["lang"]
    except (ValueError, KeyError, TypeError):
        return None
    return [str(language) for language in languages] if isinstance(languages, list) else None


def unused_language_files(site: Mapping[str, bytes]) -> set[str]:
    """The files under ``assets/javascripts/lunr/`` of a site (by site path) whose search is English only."""
    index = site.get(SEARCH_INDEX)
    if index is None or search_languages(index) != ["en"]:
        return set()
    return {name for name in site if name.startswith(LUNR_LANGUAGES)}
