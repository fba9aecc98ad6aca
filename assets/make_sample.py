#!/usr/bin/env python3
"""Builds sample-digest.json from the text of a real Daily Papers page.

Usage: python3 assets/make_sample.py ../shared/seed/daily-papers-page.txt > assets/sample-digest.json

The page text is a header, then title and abstract paragraphs in turn. The
output has the shape of GET /api/daily_papers so the app reads it with the
same parser as live data. The page carries no arXiv ids, authors or counts:
ids are sample-NN (never mistakable for arXiv ids) and counts are absent.
"""
import json
import sys

HEADER = ["new", "Get trending papers in your email inbox!", "Subscribe",
          "Daily Papers", "byAK and the research community", "Sep 10"]
DAY = "2025-09-10"

blocks = [b.strip() for b in open(sys.argv[1], encoding="utf-8").read().split("\n\n") if b.strip()]
assert blocks[:len(HEADER)] == HEADER, blocks[:len(HEADER)]
body = blocks[len(HEADER):]
assert len(body) % 2 == 0, "titles and abstracts must pair up"
items = []
for n, (title, abstract) in enumerate(zip(body[0::2], body[1::2]), start=1):
    items.append({
        "paper": {
            "id": f"sample-{n:02d}",
            "title": title,
            "summary": abstract,
            "submittedOnDailyAt": f"{DAY}T00:00:00.000Z",
        },
        "title": title,
    })
json.dump(items, sys.stdout, ensure_ascii=False, indent=1)
sys.stdout.write("\n")
