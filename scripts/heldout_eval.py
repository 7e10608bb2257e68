#!/usr/bin/env python3
"""Evaluate gapreport's topic mapping and security flag on the held-out set.

Usage:
    scripts/heldout_eval.py [GAPREPORT_BINARY] [--heldout heldout/items.json]
                            [--inputs inputs] [--keep DIR] [--json] [--bootstrap N]
                            [--kinds heldout/kinds/SET.json]

The held-out set (heldout/items.json) lists real DLT standards work items that are
not in the seed landscape, each with gold `topics` and a gold `security` flag that
were set from the title alone before the taxonomy was tuned.

The script builds a temporary inputs folder that contains the shipped report.yaml,
question.md and taxonomy.yaml, an empty work-programme.yaml, a bodies.yaml generated
from the held-out bodies and one landscape file per held-out body, runs

    GAPREPORT build --inputs DIR --out OUT --format json

and compares OUT/report.json (`items[*].topics[*].id`, `items[*].security`) with the
gold labels: micro precision / recall / F1 over (item, topic) pairs and the accuracy
of the security flag. It prints every disagreement, then the final figures with their 95 %
bootstrap intervals (items resampled with a fixed seed): with about 120 items, F1 moves by
several hundredths from sampling alone.

Standard library only (no PyYAML): YAML is written as JSON-style double-quoted
scalars, which are valid YAML. Exit status is 0 unless the binary cannot be run or
fails (then its exit status, or 2).
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def q(s):
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(str(s), ensure_ascii=False)


def slug(s):
    out = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
    return out or "body"


def copy_or_default(src_dir, name, dst_dir, default):
    src = os.path.join(src_dir, name)
    dst = os.path.join(dst_dir, name)
    if os.path.isfile(src):
        with open(src, encoding="utf-8") as f:
            text = f.read()
        if name == "report.yaml":
            # a baseline path is relative to the real inputs folder; drop it here
            text = "\n".join(l for l in text.split("\n") if not re.match(r"^baseline\s*:", l))
        with open(dst, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        print(f"note: {src} not found, writing a minimal {name}", file=sys.stderr)
        with open(dst, "w", encoding="utf-8") as f:
            f.write(default)


def build_inputs(items, src_inputs, dst):
    os.makedirs(os.path.join(dst, "landscape"), exist_ok=True)
    copy_or_default(src_inputs, "report.yaml", dst,
                    'title: "Held-out evaluation"\ndocument: "HELDOUT"\nquestion: "Q14/17"\ndate: "2025-01-01"\n')
    copy_or_default(src_inputs, "question.md", dst,
                    '---\nid: "Q14/17"\ntitle: "Distributed ledger technology security"\n---\n\nHeld-out evaluation.\n')
    tax = os.path.join(src_inputs, "taxonomy.yaml")
    if not os.path.isfile(tax):
        sys.exit(f"error: {tax} not found")
    shutil.copy(tax, os.path.join(dst, "taxonomy.yaml"))
    with open(os.path.join(dst, "work-programme.yaml"), "w", encoding="utf-8") as f:
        f.write("items: []\n")

    # group items by (org, body); one landscape file and one bodies.yaml entry each
    groups = {}
    for it in items:
        groups.setdefault((it["org"], it["body"]), []).append(it)
    used = set()
    bodies = []
    for (org, body), its in groups.items():
        sid = slug(body)
        n = 2
        while sid in used:
            sid = f"{slug(body)}-{n}"
            n += 1
        used.add(sid)
        bodies.append((sid, body, org))
        lines = [f"org: {q(org)}", f"body: {q(body)}", "items:"]
        for it in its:
            lines += [f"  - id: {q(it['id'])}",
                      f"    title: {q(it['title'])}",
                      "    status: published"]
        with open(os.path.join(dst, "landscape", sid + ".yaml"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    lines = ["bodies:"]
    for sid, body, org in bodies:
        lines += [f"  - id: {q(sid)}", f"    name: {q(body)}", f"    org: {q(org)}", "    aliases: []"]
    with open(os.path.join(dst, "bodies.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def bootstrap(per_item, rounds):
    """95 % percentile intervals of micro-F1 and security accuracy over `rounds` resamplings of
    the items (with replacement, fixed seed: the same set gives the same interval). `per_item`
    holds (tp, fp, fn, security correct) per item."""
    rng = random.Random(0)
    f1s, accs = [], []
    n = len(per_item)
    for _ in range(rounds):
        tp = fp = fn = ok = 0
        for _ in range(n):
            a, b, c, d = per_item[rng.randrange(n)]
            tp, fp, fn, ok = tp + a, fp + b, fn + c, ok + d
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
        accs.append(ok / n)
    f1s.sort()
    accs.sort()
    lo, hi = int(rounds * 0.025), int(rounds * 0.975) - 1
    return (f1s[lo], f1s[hi]), (accs[lo], accs[hi])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("binary", nargs="?", default=os.path.join(ROOT, "target", "release", "gapreport"))
    ap.add_argument("--heldout", default=os.path.join(ROOT, "heldout", "items.json"))
    ap.add_argument("--inputs", default=os.path.join(ROOT, "inputs"),
                    help="folder holding report.yaml, question.md and taxonomy.yaml")
    ap.add_argument("--keep", metavar="DIR", help="build the temporary inputs/output in DIR and keep them")
    ap.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    ap.add_argument("--bootstrap", type=int, default=2000, metavar="N",
                    help="resamplings for the 95 %% intervals (0: none)")
    ap.add_argument("--kinds", metavar="FILE",
                    help="which gold topics the title states ('explicit') and which need knowledge "
                         "('inferred'), e.g. heldout/kinds/blind-fresh-7.json: adds recall on each")
    args = ap.parse_args()

    with open(args.heldout, encoding="utf-8") as f:
        items = json.load(f)["items"]
    gold = {it["id"]: it for it in items}
    if len(gold) != len(items):
        sys.exit("error: duplicate ids in the held-out set")
    kinds = read_kinds(args.kinds, gold) if args.kinds else None

    work = args.keep or tempfile.mkdtemp(prefix="heldout-eval-")
    if args.keep:
        os.makedirs(work, exist_ok=True)
    inp = os.path.join(work, "inputs")
    out = os.path.join(work, "out")
    shutil.rmtree(inp, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    try:
        build_inputs(items, args.inputs, inp)
        cmd = [args.binary, "build", "--inputs", inp, "--out", out, "--format", "json"]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True)
        except OSError as e:
            print(f"error: cannot run {args.binary}: {e}", file=sys.stderr)
            return 2
        if proc.returncode != 0:
            print(f"error: {' '.join(cmd)} exited with {proc.returncode}", file=sys.stderr)
            sys.stderr.write(proc.stdout + proc.stderr)
            return proc.returncode or 2
        with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
            report = json.load(f)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    pred = {}
    for it in report.get("items", []):
        pred[str(it.get("id"))] = (
            {t["id"] if isinstance(t, dict) else str(t) for t in it.get("topics", [])},
            bool(it.get("security")),
        )

    tp = fp = fn = 0
    sec_ok = 0
    missing = []
    rows = []
    per_topic = {}
    per_item = []
    for iid, g in gold.items():
        gt = set(g["topics"])
        pt, ps = pred.get(iid, (set(), None))
        if iid not in pred:
            missing.append(iid)
        tp += len(pt & gt)
        fp += len(pt - gt)
        fn += len(gt - pt)
        for t in pt | gt:
            c = per_topic.setdefault(t, [0, 0, 0])
            c[0] += t in pt and t in gt
            c[1] += t in pt and t not in gt
            c[2] += t in gt and t not in pt
        if ps == g["security"]:
            sec_ok += 1
        per_item.append((len(pt & gt), len(pt - gt), len(gt - pt), ps == g["security"]))
        if pt != gt or ps != g["security"]:
            rows.append((iid, sorted(pt - gt), sorted(gt - pt),
                         "-" if ps is None else ("yes" if ps else "no"),
                         "yes" if g["security"] else "no", g["title"]))

    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    sec_acc = sec_ok / len(gold) if gold else 0.0

    if rows:
        print("Disagreements (FP = predicted, not gold; FN = gold, not predicted; security predicted/gold):")
        w = max(len(r[0]) for r in rows)
        print(f"{'item'.ljust(w)}  {'false positives':28}  {'false negatives':28}  sec      title")
        for iid, fps, fns, ps, gs, title in rows:
            mark = "" if ps == gs else " !"
            print(f"{iid.ljust(w)}  {(','.join(fps) or '-'):28}  {(','.join(fns) or '-'):28}  "
                  f"{(ps + '/' + gs + mark):8} {title[:70]}")
        print()
    if missing:
        print(f"items missing from report.json ({len(missing)}): {', '.join(missing)}\n")
    print("Per topic (tp/fp/fn):")
    for t in sorted(per_topic):
        a, b, c = per_topic[t]
        print(f"  {t:22} {a:3} {b:3} {c:3}")
    print()
    print(f"held-out items:        {len(gold)}")
    print(f"topic pairs:           tp={tp} fp={fp} fn={fn}")
    print(f"micro precision:       {prec:.3f}")
    print(f"micro recall:          {rec:.3f}")
    print(f"micro F1:              {f1:.3f}   (target >= 0.90)")
    print(f"security accuracy:     {sec_acc:.3f}   ({sec_ok}/{len(gold)}, target >= 0.95)")
    if args.bootstrap and per_item:
        (f_lo, f_hi), (s_lo, s_hi) = bootstrap(per_item, args.bootstrap)
        print(f"95 % intervals:        F1 {f_lo:.3f}-{f_hi:.3f}, security {s_lo:.3f}-{s_hi:.3f}"
              f"   (bootstrap over items, {args.bootstrap} resamplings)")
    figures = {"items": len(gold), "tp": tp, "fp": fp, "fn": fn, "precision": round(prec, 4),
               "recall": round(rec, 4), "f1": round(f1, 4), "security_accuracy": round(sec_acc, 4),
               "missing": missing}
    if kinds is not None:
        figures["by_kind"] = by_kind(gold, pred, kinds, fp)
        k = figures["by_kind"]
        for kind, what in (("explicit", "stated by the title"), ("inferred", "needing knowledge")):
            n, found = k[kind]["pairs"], k[kind]["found"]
            print(f"{what + ':':22} {n} gold pairs, recall {found / n if n else 0:.3f} ({found}/{n})")
        print(f"F1 on stated pairs:    {k['f1_explicit']:.3f}   (pairs needing knowledge neither counted nor penalised)")
    if args.json:
        print(json.dumps(figures))
    return 0


def read_kinds(path, gold):
    """{(item id, topic): 'explicit' | 'inferred'} from a kinds file, which must classify every
    gold topic of every item and nothing else."""
    with open(path, encoding="utf-8") as f:
        entries = {it["id"]: it["topics"] for it in json.load(f)["items"]}
    kinds = {}
    for iid, g in gold.items():
        classified = entries.get(iid)
        if classified is None or set(classified) != set(g["topics"]):
            sys.exit(f"error: {path}: item {iid} does not classify exactly its gold topics {g['topics']}")
        for topic, kind in classified.items():
            if kind not in ("explicit", "inferred"):
                sys.exit(f"error: {path}: item {iid}, topic {topic}: kind {kind!r} is not explicit or inferred")
            kinds[(iid, topic)] = kind
    return kinds


def by_kind(gold, pred, kinds, fp):
    """Recall on the gold pairs the title states and on those needing knowledge, and the F1 of the
    stated pairs alone with the set's `fp` false positives (a prediction of a pair needing
    knowledge is then neither right nor wrong)."""
    out = {"explicit": {"pairs": 0, "found": 0}, "inferred": {"pairs": 0, "found": 0}}
    for iid, g in gold.items():
        pt = pred.get(iid, (set(), None))[0]
        for topic in g["topics"]:
            c = out[kinds[(iid, topic)]]
            c["pairs"] += 1
            c["found"] += topic in pt
    tp, n = out["explicit"]["found"], out["explicit"]["pairs"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / n if n else 0.0
    out["f1_explicit"] = round(2 * p * r / (p + r), 4) if p + r else 0.0
    return out


if __name__ == "__main__":
    sys.exit(main())
