"""The demo service for `make demo`: a FastAPI app with one deliberately slow endpoint.

  GET /slow?records=N   normalises N customer records (default 2000) the slow way: a per-record,
                        per-character nested loop in `normalise_text`, plus a JSON round trip per
                        record. The hottest function a profiler should find is `normalise_records`
                        (with `normalise_text` under it).
  GET /fast             a constant answer.
  GET /healthz          readiness for hack/demo.sh.

Served by gunicorn with uvicorn workers (see gunicorn.conf.py) on bookworm's /usr/bin/python3.
"""

import json
import random
import unicodedata

from fastapi import FastAPI

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


@app.get("/slow")
def slow(records: int = 2000):
    if not 1 <= records <= len(RECORDS):
        return {"error": "records must be between 1 and %d" % len(RECORDS)}
    normalised = normalise_records(RECORDS[:records])
    return {"count": len(normalised), "first": normalised[0], "last": normalised[-1]}


@app.get("/fast")
def fast():
    return {"ok": True}


@app.get("/healthz")
def healthz():
    return {"status": "ok"}
