"""The demo service for `make demo`: a FastAPI app with three deliberately slow endpoints.

  GET /slow?records=N   normalises N customer records (default 2000) the slow way: a per-record,
                        per-character nested loop in `normalise_text`, plus a JSON round trip per
                        record. The hottest function a profiler should find is `normalise_records`
                        (with `normalise_text` under it). A plain `def`: it runs in a worker thread.
                        With DEMO_AUDIT_ROUNDS=N (default 0: off) it also checksums the result N times
                        in `audit_records`, a pure-Python loop: the "regression" a new version brings
                        in the baseline scenario (at 2 it costs about as much as normalising).
  GET /listings?limit=N async; the N+1 query pattern against PostgreSQL: one query for N listings
                        (default 20), then one query per listing for its reviews (`fetch_reviews`).
                        Almost all of its time is spent awaiting the database, on no thread's stack.
  GET /quote            async, and calls a blocking function (`lookup_exchange_rate`, 100 ms of
                        time.sleep standing for a synchronous HTTP client) on the event loop: the
                        classic FastAPI mistake; nothing else runs in that worker meanwhile.
  GET /fast             a constant answer.
  GET /healthz          readiness for hack/demo.sh.

/listings needs DEMO_DATABASE_URL (a libpq-style URL, e.g. postgresql://demo@/postgres?host=/tmp/x&port=5432,
set by the demo scripts, which start the database from hack/demo-db/) and asyncpg, imported when the worker
starts if the URL is set; without the URL it answers 503 and the rest of the service works as before.

Served by gunicorn with uvicorn workers (see gunicorn.conf.py) on bookworm's /usr/bin/python3.
"""

import asyncio
import importlib
import json
import os
import random
import time
import unicodedata

from fastapi import FastAPI
from fastapi.responses import JSONResponse

app = FastAPI(title="pyrometer demo")

_FIRST = ["Zoë", "José", "Ångström", "Chloé", "Émile", "Søren", "Łukasz", "Nuñez", "Ines", "Björk"]
_LAST = ["Müller", "García", "Dvořák", "O'Brien", "Fernández", "Kowalski", "Öztürk", "Niño", "Smith", "Lefèvre"]
_CITY = ["São Paulo", "Zürich", "Kraków", "Montréal", "Reykjavík", "Göteborg", "Málaga", "Köln"]


def make_records(count, seed=1234):
    rng = random.Random(seed)
    records = []
    for i in range(count):
        records.append({
            "id": i,
            "name": "  %s   %s  " % (rng.choice(_FIRST), rng.choice(_LAST)),
            "city": rng.choice(_CITY).upper(),
            "email": "%s.%s@Example.COM" % (rng.choice(_FIRST), rng.choice(_LAST)),
            "tags": [rng.choice(["VIP", "new", "Returning", "b2b"]) for _ in range(3)],
        })
    return records


RECORDS = make_records(5000)


def normalise_text(text):
    # Deliberately slow: character by character, decomposing each one and rebuilding the string.
    out = []
    previous_space = True
    for ch in text:
        for part in unicodedata.normalize("NFKD", ch):
            if unicodedata.combining(part):
                continue
            if part.isspace():
                if not previous_space:
                    out.append(" ")
                previous_space = True
                continue
            out.append(part.lower())
            previous_space = False
    return "".join(out).strip()


def normalise_records(records):
    result = []
    for record in records:
        clean = {}
        for key, value in record.items():
            if isinstance(value, str):
                clean[key] = normalise_text(value)
            elif isinstance(value, list):
                clean[key] = sorted({normalise_text(v) for v in value})
            else:
                clean[key] = value
        # A JSON round trip per record, as a service that re-validates its payloads would do.
        result.append(json.loads(json.dumps(clean)))
    return result


def audit_records(records, rounds):
    # Deliberately slow: a character-by-character checksum of each record's JSON, `rounds` times over.
    digest = 0
    for _ in range(rounds):
        for record in records:
            for ch in json.dumps(record, sort_keys=True):
                digest = (digest * 31 + ord(ch)) % 1000000007
    return digest


AUDIT_ROUNDS = int(os.environ.get("DEMO_AUDIT_ROUNDS") or 0)


@app.get("/slow")
def slow(records: int = 2000):
    if not 1 <= records <= len(RECORDS):
        return {"error": "records must be between 1 and %d" % len(RECORDS)}
    normalised = normalise_records(RECORDS[:records])
    result = {"count": len(normalised), "first": normalised[0], "last": normalised[-1]}
    if AUDIT_ROUNDS > 0:
        result["audit"] = audit_records(normalised, AUDIT_ROUNDS)
    return result


# /listings' driver, imported as the worker starts when a database is configured rather than on the event
# loop at the first request: a cold import of asyncpg took seconds on a busy machine, a blocked loop the
# demo is not about. Without a database the service needs no asyncpg.
asyncpg = importlib.import_module("asyncpg") if os.environ.get("DEMO_DATABASE_URL") else None
_pool = None
_pool_lock = asyncio.Lock()


async def database():
    """The worker's connection pool, created on first use (each gunicorn worker has its own loop)."""
    global _pool
    async with _pool_lock:
        if _pool is None:
            _pool = await asyncpg.create_pool(os.environ["DEMO_DATABASE_URL"], min_size=1, max_size=4)
    return _pool


async def fetch_reviews(connection, listing_id):
    return await connection.fetch("SELECT stars, body FROM reviews WHERE listing_id = $1 ORDER BY id", listing_id)


@app.get("/listings")
async def listings(limit: int = 20):
    if not 1 <= limit <= 200:
        return JSONResponse({"error": "limit must be between 1 and 200"}, status_code=400)
    if not os.environ.get("DEMO_DATABASE_URL"):
        return JSONResponse({"error": "no database: DEMO_DATABASE_URL is not set"}, status_code=503)
    pool = await database()
    started = time.perf_counter()
    async with pool.acquire() as connection:
        rows = await connection.fetch("SELECT id, title, city FROM listings ORDER BY id LIMIT $1", limit)
        result = []
        for row in rows:
            # The N+1 pattern: one round trip per listing, where one JOIN would do.
            reviews = await fetch_reviews(connection, row["id"])
            stars = [review["stars"] for review in reviews]
            result.append({"id": row["id"], "title": row["title"], "city": row["city"],
                           "reviews": len(stars), "stars": round(sum(stars) / len(stars), 2) if stars else None})
    # The service's own view, for the demo to set beside the profile's.
    timing = {"queries": 1 + len(rows), "database_seconds": round(time.perf_counter() - started, 4)}
    return {"count": len(result), "listings": result, **timing}


def lookup_exchange_rate(currency):
    # Stands for a synchronous HTTP client call (requests.get) to a rates service: 100 ms of blocking.
    time.sleep(0.1)
    return 1.08 if currency == "USD" else 1.0


@app.get("/quote")
async def quote(amount: float = 100.0, currency: str = "USD"):
    # The mistake: a blocking call inside `async def` holds the event loop; every other request on
    # this worker waits. (`def quote` or `await asyncio.to_thread(...)` would not.)
    rate = lookup_exchange_rate(currency)
    return {"amount": amount, "currency": currency, "total": round(amount * rate, 2)}


@app.get("/fast")
def fast():
    return {"ok": True}


@app.get("/healthz")
def healthz():
    return {"status": "ok"}
