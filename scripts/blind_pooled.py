#!/usr/bin/env python3
"""Pools the one scoring of each fresh blind set (heldout/scores/blind.json).

Usage:
    scripts/blind_pooled.py [--scores heldout/scores/blind.json] [--json]

Prints one row per set as it was scored (before it was tuned on), then the pooled figures over
all sets and over each population: topic micro-F1 with its precision and recall, the accuracy of
the security flag, the share of gold topics that need knowledge the title's words do not carry,
the recall on the stated and on the other topics, the F1 on the stated ones (topics that need
knowledge neither counted nor penalised), and the plain-reader ceiling: the F1 of a reader that
finds every stated topic, adds no wrong one and knows nothing else (precision 1, recall = the
stated share), which no title-only word matcher exceeds without acronym, name or content
knowledge. These are the figures the held-out target of issue 3 is measured by; a set's figures
after tuning are in README.md.

Standard library only.
"""

import argparse
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def figures(rows):
    """The pooled figures of `rows` (entries of heldout/scores/blind.json)."""
    total = {k: sum(r[k] for r in rows) for k in ("items", "tp", "fp", "fn", "security_correct")}
    stated = {k: sum(r["stated"][k] for r in rows) for k in ("pairs", "found")}
    inferred = {k: sum(r["inferred"][k] for r in rows) for k in ("pairs", "found")}
    tp, fp, fn = total["tp"], total["fp"], total["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    missed_stated = stated["pairs"] - stated["found"]
    f1_stated = (2 * stated["found"] / (2 * stated["found"] + fp + missed_stated)
                 if stated["found"] else 0.0)
    gold = stated["pairs"] + inferred["pairs"]
    stated_share = stated["pairs"] / gold if gold else 0.0
    return {
        "sets": len(rows),
        "items": total["items"],
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "security_accuracy": round(total["security_correct"] / total["items"], 4),
        "share_needing_knowledge": round(inferred["pairs"] / gold, 4) if gold else 0.0,
        "recall_stated": round(stated["found"] / stated["pairs"], 4) if stated["pairs"] else 0.0,
        "recall_needing_knowledge": (round(inferred["found"] / inferred["pairs"], 4)
                                     if inferred["pairs"] else 0.0),
        "f1_stated": round(f1_stated, 4),
        "f1_plain_reader_ceiling": round(2 * stated_share / (1 + stated_share), 4),
    }


def line(name, f):
    return (f"{name:<28} {f['items']:>5} {f['f1']:>6.3f} {f['precision']:>6.3f} {f['recall']:>6.3f} "
            f"{100 * f['security_accuracy']:>6.1f} % {f['f1_stated']:>9.3f} "
            f"{f['f1_plain_reader_ceiling']:>7.3f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scores", default=os.path.join(ROOT, "heldout", "scores", "blind.json"))
    ap.add_argument("--json", action="store_true", help="also print the pooled figures as JSON")
    args = ap.parse_args()
    with open(args.scores, encoding="utf-8") as f:
        rows = json.load(f)["sets"]
    if not rows:
        sys.exit("error: no sets")
    print(f"{'set (scored with)':<28} {'items':>5} {'F1':>6} {'P':>6} {'R':>6} {'security':>8} {'F1 stated':>9} {'ceiling':>7}")
    for r in rows:
        print(line(f"{r['set']} ({r['scored_with']})", figures([r])))
    pooled = {"all": figures(rows)}
    for population in sorted({r["population"] for r in rows}):
        pooled[population] = figures([r for r in rows if r["population"] == population])
    print()
    for name, f in pooled.items():
        print(line(f"pooled: {name}", f))
    a = pooled["all"]
    print(f"\ngold topics needing knowledge: {100 * a['share_needing_knowledge']:.1f} %; "
          f"recall on stated topics {a['recall_stated']:.3f}, on the others "
          f"{a['recall_needing_knowledge']:.3f}; "
          f"plain-reader ceiling F1 {a['f1_plain_reader_ceiling']:.3f}")
    if args.json:
        print(json.dumps(pooled, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
