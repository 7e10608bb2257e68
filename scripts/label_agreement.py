#!/usr/bin/env python3
"""How far two independent labellings of the same held-out titles agree.

Usage:
    scripts/label_agreement.py A.json B.json [--json]

A and B are held-out files in the format of heldout/*.json (`items`, each with `id`, `topics`,
`security`), labelled separately from the same titles. Prints every item where they differ, then
the agreement: micro-F1 of B's (item, topic) pairs against A's (symmetric: swapping A and B swaps
precision and recall but keeps F1), the share of items with identical topic sets, and the share
of items with the same security flag. The topic F1 between two careful labellers is about the
ceiling a taxonomy can be expected to reach against either one of them.

Standard library only. Exit status 2 if the two files do not label the same ids.
"""

import argparse
import json
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return {item["id"]: item for item in json.load(f)["items"]}


def agreement(a, b):
    pairs_a = {(i, t) for i, item in a.items() for t in item["topics"]}
    pairs_b = {(i, t) for i, item in b.items() for t in item["topics"]}
    both = len(pairs_a & pairs_b)
    precision = both / len(pairs_b) if pairs_b else 1.0
    recall = both / len(pairs_a) if pairs_a else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    same_topics = sum(set(a[i]["topics"]) == set(b[i]["topics"]) for i in a)
    same_security = sum(a[i]["security"] == b[i]["security"] for i in a)
    return {
        "items": len(a),
        "topic_f1": round(f1, 3),
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "identical_topic_sets": round(same_topics / len(a), 3),
        "security_agreement": round(same_security / len(a), 3),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    args = ap.parse_args()
    a, b = load(args.a), load(args.b)
    if set(a) != set(b):
        only = sorted(set(a) ^ set(b))
        print(f"the files label different ids, e.g. {only[:5]}", file=sys.stderr)
        return 2
    for i in sorted(a):
        ta, tb = set(a[i]["topics"]), set(b[i]["topics"])
        sa, sb = a[i]["security"], b[i]["security"]
        if ta != tb or sa != sb:
            print(f"{i}: {a[i].get('title', '')}")
            if ta != tb:
                print(f"    topics only in A: {sorted(ta - tb)}  only in B: {sorted(tb - ta)}")
            if sa != sb:
                print(f"    security A={sa} B={sb}")
    figures = agreement(a, b)
    print(
        f"\n{figures['items']} items: topic F1 {figures['topic_f1']:.3f} "
        f"(B against A: precision {figures['precision']:.3f}, recall {figures['recall']:.3f}), "
        f"identical topic sets {figures['identical_topic_sets']:.1%}, "
        f"security agreement {figures['security_agreement']:.1%}"
    )
    if args.json:
        print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
