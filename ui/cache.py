"""The caches behind the pages: one decorator (``scenario_cache``) that keeps a scenario function's
results process-wide (bounded) for the store's book and in the session's own state for an uploaded
book, so one user's data never reaches another's view; and ``deferred`` for download callables.
"""

from __future__ import annotations

import copy
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, MutableMapping
from typing import Any, TypeVar

import streamlit as st

from scoring.pipeline import Scenario

STORE_BOOK = "store"
UPLOAD_KEY = "uploaded_book"

# Process-wide caches are bounded in entries and time. Estimated from the array sizes: a scenario's result on the embedded book is
# about 1 MB (per-quarter deliveries of 157 orders under two policies), a Monte Carlo run about
# 20 MB (2,000 draws); at these bounds the caches hold well under 1 GB whatever the traffic.
CACHE_SCENARIOS = 24
CACHE_DRAWS = 6
CACHE_TTL = 3600  # seconds
# A scenario is a frozen dataclass of numbers, strings and tuples, so its repr is its identity (floats
# print round-trip). Streamlit would otherwise hash it field by field through dataclasses.asdict:
# 1.5 ms per call against 0.05 ms, about 20 calls per rerun.
SCENARIO_HASH = {Scenario: repr}
# Results on an uploaded book are that session's data: they live in its session state, never in a
# process-wide cache (another session with the same bytes would otherwise share them), and at most
# this many scenarios of them per session (the current one, its reference, the one before).
SESSION_RESULTS_KEY = "_upload_results"
SESSION_SCENARIOS = 3

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
_LOCAL = threading.local()


def _session() -> MutableMapping[str, Any]:
    """This session's state: the script run's, or the view a deferred download captured."""
    view = getattr(_LOCAL, "session", None)
    return view if view is not None else st.session_state


def deferred(fn: Callable[[], T]) -> Callable[[], T]:
    """``fn`` for a download button's deferred ``data``: Streamlit calls it on the click, outside
    the script run, where ``st.session_state`` is not this session's. The session's uploaded book
    and its memoised results are captured now (by reference) and used then."""
    view: dict[str, Any] = {
        SESSION_RESULTS_KEY: st.session_state.setdefault(SESSION_RESULTS_KEY, OrderedDict()),
        UPLOAD_KEY: st.session_state.get(UPLOAD_KEY),
    }

    def run() -> T:
        _LOCAL.session = view
        try:
            return fn()
        finally:
            _LOCAL.session = None

    return run


def _session_key(args: tuple, kwargs: dict, book_arg: int | None) -> str | None:
    """The uploaded-book scenario (or book key) a call is about, or None for the store's book."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, Scenario) and value.book != STORE_BOOK:
            return repr(value)
    if book_arg is not None and len(args) > book_arg and args[book_arg] != STORE_BOOK:
        return repr(args[book_arg : book_arg + 2])
    return None


def _session_memo(fn: Callable[..., Any], key: str, args: tuple, kwargs: dict, copies: bool) -> Any:
    """``fn(*args)`` memoised in this session's state, bounded to ``SESSION_SCENARIOS`` scenarios."""
    memo: OrderedDict[str, dict] = _session().setdefault(SESSION_RESULTS_KEY, OrderedDict())
    call = (fn.__qualname__, repr(args), repr(sorted(kwargs.items())))
    bucket = memo.get(key)
    if bucket is None or call not in bucket:
        value = fn(*args, **kwargs)  # may raise: nothing is kept then
        bucket = memo.setdefault(key, {})
        bucket[call] = value
    memo.move_to_end(key)
    while len(memo) > SESSION_SCENARIOS:
        memo.popitem(last=False)
    value = bucket[call]
    return copy.deepcopy(value) if copies else value


def scenario_cache(max_entries: int = CACHE_SCENARIOS, *, copies: bool = False, book_arg: int | None = None,
                   spinner: str | bool = False, ttl: int | None = CACHE_TTL) -> Callable[[F], F]:
    """Cache a scenario function: process-wide (bounded) for the store's book, in the session's own
    state for an uploaded book. ``copies`` returns copies (``st.cache_data``) instead of the shared
    object; ``book_arg`` is the position of a book-key argument for functions that take one."""

    def wrap(fn: F) -> F:
        decorator = st.cache_data if copies else st.cache_resource
        shared = decorator(hash_funcs=SCENARIO_HASH, show_spinner=spinner, max_entries=max_entries, ttl=ttl)(fn)

        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            key = _session_key(args, kwargs, book_arg)
            if key is None:
                return shared(*args, **kwargs)
            return _session_memo(fn, key, args, kwargs, copies)

        call.clear = shared.clear  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]

    return wrap
