"""A request's deadline (``ESKG_REQUEST_TIMEOUT``), its answer's size
(``ESKG_MAX_RESPONSE_BYTES``) and fair sharing of expensive requests (issue 20), on both
stores and both executors."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import services_of
from api.fairness import EXPENSIVE_NICE, SWITCH_INTERVAL, YOUNG_COLLECTION, Fairness, GiveWay
from eskg import deadline
from eskg.config import Settings
from eskg.errors import RequestTimeoutError, ResponseTooLargeError
from eskg.store.base import Store
from tests.polling import wait_until

WIDE = '{ search(text:"e", limit: 200) { id label relations(limit: 20) { target { id label } } } }'
ONE = '{ entity(id:"doc/meti-action-plan-2024") { id } }'


def app_with(base: tuple[Store, Settings], **update: object) -> TestClient:
    store, settings = base
    changed = settings.model_copy(update={"response_cache_mb": 0, **update})
    return TestClient(create_app(changed, store))


@pytest.fixture(params=[True, False], ids=["compiled", "strawberry"])
def compiled(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def test_a_read_after_the_deadline_never_starts(
    store_and_settings: tuple[Store, Settings],
) -> None:
    store, _ = store_and_settings
    iri = "https://w3id.org/eskg/id/doc/meti-action-plan-2024"
    with deadline.budget(deadline.Budget(0.0)), pytest.raises(RequestTimeoutError):
        store.entities([iri])
    with deadline.budget(deadline.Budget(60.0)):
        assert iri in store.entities([iri])  # with time left it reads
    assert deadline.current() is None


def test_neo4j_reads_get_the_time_left() -> None:
    with deadline.budget(deadline.Budget(60.0)):
        assert 0 < deadline.timeout_for(10.0, "x") <= 10.0
    with deadline.budget(deadline.Budget(2.0)):
        assert deadline.timeout_for(10.0, "x") <= 2.0
    assert deadline.timeout_for(10.0, "x") == 10.0  # outside a request: the query's own


def test_past_the_deadline_the_client_gets_503(
    store_and_settings: tuple[Store, Settings], compiled: bool
) -> None:
    with app_with(store_and_settings, request_timeout=1e-9, graphql_compiled=compiled) as client:
        answer = client.post("/graphql", json={"query": WIDE})
        assert answer.status_code == 503, answer.text
        assert "ESKG_REQUEST_TIMEOUT" in answer.json()["errors"][0]["message"]
    with app_with(store_and_settings, graphql_compiled=compiled) as client:
        assert client.post("/graphql", json={"query": WIDE}).status_code == 200


def test_an_answer_past_the_size_limit_is_refused(
    store_and_settings: tuple[Store, Settings], compiled: bool
) -> None:
    with app_with(store_and_settings, graphql_compiled=compiled) as client:
        full = client.post("/graphql", json={"query": WIDE})
        assert full.status_code == 200 and "errors" not in full.json()
    limit = len(full.content) // 4
    with app_with(store_and_settings, max_response_bytes=limit, graphql_compiled=compiled) as c:
        answer = c.post("/graphql", json={"query": WIDE})
        assert answer.status_code == 400, answer.text
        body = answer.json()
        assert body["data"] is None  # refused whole, not half built
        assert "ESKG_MAX_RESPONSE_BYTES" in body["errors"][0]["message"]
        small = c.post("/graphql", json={"query": ONE})  # small answers still pass
        assert small.status_code == 200 and small.json()["data"]["entity"]["id"]


def test_budget_counts_as_it_fills() -> None:
    budget = deadline.Budget(60.0, max_bytes=100)
    budget.charge(60)
    with pytest.raises(ResponseTooLargeError):
        budget.charge(60)


def test_expensive_requests_take_turns_per_client_and_overall() -> None:
    async def run() -> tuple[int, int]:
        fair = Fairness(per_client=1, overall=2)
        running: dict[str, int] = {}
        most: dict[str, int] = {}
        total_most = 0
        release = asyncio.Event()

        async def request(who: str) -> None:
            nonlocal total_most
            async with fair.slot(who):
                running[who] = running.get(who, 0) + 1
                most[who] = max(most.get(who, 0), running[who])
                total_most = max(total_most, sum(running.values()))
                await release.wait()
                running[who] -= 1

        tasks = [asyncio.create_task(request(w)) for w in ["a"] * 4 + ["b"] * 4 + ["c"] * 4]
        for _ in range(20):
            await asyncio.sleep(0)
        assert fair.waiting() == 12
        release.set()
        await asyncio.gather(*tasks)
        assert fair.waiting() == 0 and not fair.clients  # nothing kept for gone clients
        return max(most.values()), total_most

    # a thread of its own: an earlier test may have left this thread's event loop set
    with ThreadPoolExecutor(1) as pool:
        per_client, overall = pool.submit(asyncio.run, run()).result()
    assert per_client == 1 and overall == 2


def test_cheap_requests_do_not_wait_for_expensive_ones(
    store_and_settings: tuple[Store, Settings],
) -> None:
    """With every expensive slot held, a cheap request is answered; an expensive one
    waits for a slot until its deadline (503)."""
    with app_with(store_and_settings, graphql_expensive_cost=100, request_timeout=1.0) as client:
        limits = services_of(client.app).limits

        held = 0

        async def hold() -> None:  # take every overall slot, however many there are
            nonlocal held
            while not limits.fairness.overall.locked():
                await limits.fairness.overall.acquire()
                held += 1

        client.portal.call(hold)  # type: ignore[union-attr]
        cheap = client.post("/graphql", json={"query": ONE})
        assert cheap.status_code == 200 and cheap.json()["data"]["entity"]["id"]
        expensive = client.post("/graphql", json={"query": WIDE})

        async def release() -> None:
            for _ in range(held):
                limits.fairness.overall.release()

        client.portal.call(release)  # type: ignore[union-attr]
        assert expensive.status_code == 503
        assert "ESKG_REQUEST_TIMEOUT" in expensive.json()["errors"][0]["message"]


def _expensive_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name.startswith("eskg-expensive")}


def test_expensive_requests_execute_apart_from_the_event_loop(
    store_and_settings: tuple[Store, Settings], compiled: bool
) -> None:
    """An expensive request runs on a loop of its own in a thread of its own (so graphql-core
    filling thousands of objects does not hold the server's loop) and answers as on the
    server's loop, field errors and the deadline included."""
    bad_limit = '{ search(text:"e", limit: 50) { id relations(limit: -1) { type } } }'
    answers = {}
    for cost in (10**9, 0):  # nothing expensive, then everything expensive
        before = _expensive_threads()
        with app_with(
            store_and_settings, graphql_expensive_cost=cost, graphql_compiled=compiled
        ) as client:
            answers[cost] = [client.post("/graphql", json={"query": q}) for q in (WIDE, bad_limit)]
        assert bool(_expensive_threads() - before) == (cost == 0)
    for cheap, apart in zip(answers[10**9], answers[0], strict=True):
        assert (apart.status_code, apart.json()) == (cheap.status_code, cheap.json())
    assert answers[0][0].json()["data"]["search"] and "errors" in answers[0][1].json()
    with app_with(
        store_and_settings,
        graphql_expensive_cost=0,
        request_timeout=1e-9,
        graphql_compiled=compiled,
    ) as client:
        late = client.post("/graphql", json={"query": WIDE})
        assert late.status_code == 503 and "ESKG_REQUEST_TIMEOUT" in late.text


def test_no_request_stays_counted_as_cheap_in_flight(
    store_and_settings: tuple[Store, Settings],
) -> None:
    """Expensive requests step aside while cheap ones are in flight: whatever way a request
    ends (answered, refused, past its deadline, unparsable), it is no longer counted."""
    with app_with(store_and_settings, graphql_expensive_cost=100) as client:
        limits = services_of(client.app).limits
        statuses = [
            client.post("/graphql", json={"query": ONE}).status_code,
            client.post("/graphql", json={"query": WIDE}).status_code,
            client.post(  # over the cost limit
                "/graphql", json={"query": WIDE.replace("limit: 20", "limit: 200")}
            ).status_code,
            client.post(
                "/graphql", content=b"[" * 5000, headers={"content-type": "application/json"}
            ).status_code,
            client.get("/id/org/meti", headers={"accept": "text/turtle"}).status_code,
        ]
        assert statuses == [200, 200, 400, 400, 200]
        assert limits.give_way.cheap == 0
    with app_with(store_and_settings, graphql_expensive_cost=100, request_timeout=1e-9) as client:
        assert client.post("/graphql", json={"query": WIDE}).status_code == 503
        assert services_of(client.app).limits.give_way.cheap == 0


def test_an_expensive_request_steps_aside_until_cheap_ones_are_answered() -> None:
    way = GiveWay(step_aside=600.0, run_slice=0.0)
    way.enter()  # a cheap request in flight, on this (the "loop's") thread
    way.pause()  # never waits on the loop's own thread
    done = threading.Event()

    def expensive() -> None:
        way.pause()  # waits: a cheap request is in flight
        done.set()

    worker = threading.Thread(target=expensive)
    worker.start()
    way.leave()  # the cheap request was answered: the expensive one goes on
    assert done.wait(60.0)  # long before its 600 s
    worker.join()
    way.pause()  # none in flight: no wait at all


#: The store reads a GraphQL request may make (the spies below watch each).
READS = ("search", "traverse", "entities", "relations")


def _nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, 0)  # Linux: the calling thread's


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's nice is Linux's")
def test_expensive_requests_read_at_the_lowest_cpu_priority(
    store_and_settings: tuple[Store, Settings],
    compiled: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every store read of an expensive request runs in a thread at nice 19 (its own
    thread, and the threads its own loop starts), so a busy machine gives a core to the
    serving threads first; a cheap request's reads keep the server's priority."""
    store, _ = store_and_settings
    seen: list[int] = []
    for name in READS:
        read = getattr(store, name)

        def spy(*args: object, _read: Any = read, **kwargs: object) -> object:
            seen.append(_nice())
            return _read(*args, **kwargs)

        monkeypatch.setattr(store, name, spy)
    usual = _nice()
    found = {}
    for cost in (10**9, 0):  # nothing expensive, then everything expensive
        seen.clear()
        with app_with(
            store_and_settings, graphql_expensive_cost=cost, graphql_compiled=compiled
        ) as client:
            answer = client.post("/graphql", json={"query": WIDE})
            assert answer.status_code == 200 and answer.json()["data"]["search"]
            # serving, the loop waits less for the lock and full collections are rare
            assert sys.getswitchinterval() == SWITCH_INTERVAL
            assert gc.get_threshold()[0] == YOUNG_COLLECTION
        found[cost] = set(seen)
    assert found == {10**9: {usual}, 0: {EXPENSIVE_NICE}}
    assert _nice() == usual  # the test's (the loop's) own thread was left as it was


def test_a_cheap_request_is_answered_while_expensive_ones_run(
    store_and_settings: tuple[Store, Settings],
    compiled: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With every expensive slot taken by a request that is running (held inside its
    store read), a cheap request is answered before any of them ends: it needs no slot
    and no thread of theirs."""
    store, _ = store_and_settings
    slots = 2
    release = threading.Event()
    held = 0
    lock = threading.Lock()
    for name in ("search", "traverse"):  # an expensive request's first read (WIDE's)
        read = getattr(store, name)

        def blocking(*args: object, _read: Any = read, **kwargs: object) -> object:
            nonlocal held
            budget = deadline.current()  # an expensive request's steps aside (pause)
            if budget is not None and budget.pause is not None and not release.is_set():
                with lock:
                    held += 1
                release.wait(60.0)
            return _read(*args, **kwargs)

        monkeypatch.setattr(store, name, blocking)
    with (
        app_with(
            store_and_settings,
            graphql_expensive_cost=100,
            expensive_per_client=slots,
            expensive_concurrency=slots,
            graphql_compiled=compiled,
        ) as client,
        ThreadPoolExecutor(slots) as pool,
    ):
        limits = services_of(client.app).limits
        try:
            running = [
                pool.submit(client.post, "/graphql", json={"query": WIDE}) for _ in range(slots)
            ]
            wait_until(lambda: held == slots, 30.0, f"{slots} expensive requests in their reads")
            assert limits.fairness.overall.locked()  # every slot is taken
            cheap = client.post("/graphql", json={"query": ONE})
            assert cheap.status_code == 200 and cheap.json()["data"]["entity"]["id"]
            assert not any(r.done() for r in running)  # the cheap one went first
        finally:
            release.set()
        assert [r.result().status_code for r in running] == [200] * slots
