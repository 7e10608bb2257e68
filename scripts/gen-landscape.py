#!/usr/bin/env python3
"""Generate a synthetic gapreport inputs folder with N landscape items over many bodies.

Titles are built from the vocabulary of real DLT standards titles (aspects x domains x
technologies), so the taxonomy's patterns do the same work as on real inputs. The report,
question, work programme and taxonomy are copied from the shipped inputs/.

    scripts/gen-landscape.py 10000 /tmp/bench-10k
"""
import json
import random
import shutil
import sys
from pathlib import Path

ASPECTS = [
    "Security requirements for", "Reference architecture of", "Security threats to",
    "Terms and definitions for", "Governance framework for", "Security assurance of",
    "Privacy protection in", "Use cases of", "Assessment criteria for", "Data format for",
    "Interoperability framework for", "Functional requirements of", "Guidelines for the use of",
    "Security controls for", "Operational management of", "Smart contract security in",
    "Identity management for", "Consensus mechanisms for", "Key management for",
    "Audit guidance for", "Overview of", "Service models of",
]
DOMAINS = [
    "digital payment services", "supply chain finance", "Internet of things (IoT) data",
    "healthcare records", "energy trading", "connected vehicles", "agriculture traceability",
    "e-government services", "online voting", "intellectual property management",
    "software distribution", "digital evidence", "digital asset custody", "security tokens",
    "media content", "smart cities", "data sharing platforms", "cross-border trade",
    "records management", "decentralized identity", "cloud services", "telecom networks",
]
TECH = ["distributed ledger technology", "blockchain", "DLT platforms", "permissioned ledgers"]
ORGS = ["ITU-T", "ISO", "IEEE", "W3C", "ETSI", "IETF", "CEN-CENELEC", "ANSI", "NIST", "IRTF"]
STATUSES = ["study", "proposed", "under-development", "published", "approved", "closed"]


def title(rng: random.Random) -> str:
    if rng.random() < 0.03:  # a few items no topic pattern knows
        return f"Widget interchange profile {rng.randint(1, 999)}"
    return f"{rng.choice(ASPECTS)} {rng.choice(DOMAINS)} based on {rng.choice(TECH)}"


def main() -> None:
    n, out = int(sys.argv[1]), Path(sys.argv[2])
    shipped = Path(__file__).resolve().parent.parent / "inputs"
    rng = random.Random(n)
    if out.exists():
        shutil.rmtree(out)
    (out / "landscape").mkdir(parents=True)
    for name in ["question.md", "taxonomy.yaml", "work-programme.yaml", "bodies.yaml"]:
        shutil.copy(shipped / name, out / name)
    report = [l for l in (shipped / "report.yaml").read_text().splitlines() if not l.startswith("baseline:")]
    (out / "report.yaml").write_text("\n".join(report) + "\n")

    bodies_count = max(10, n // 100)
    bodies = []
    with open(out / "bodies.yaml", "a") as f:
        for b in range(bodies_count):
            org = ORGS[b % len(ORGS)]
            name = f"Synthetic {org} group {b:05d}"
            bodies.append((org, name))
            f.write(f"  - id: synthetic-{b:05d}\n    name: {json.dumps(name)}\n    org: {json.dumps(org)}\n")
    per_body = [n // bodies_count + (1 if b < n % bodies_count else 0) for b in range(bodies_count)]
    item = 0
    for b, (org, name) in enumerate(bodies):
        lines = [f"org: {json.dumps(org)}", f"body: {json.dumps(name)}", "items:"]
        for _ in range(per_body[b]):
            lines += [
                f"  - id: SYN-{item:07d}",
                f"    title: {json.dumps(title(rng))}",
                f"    status: {rng.choice(STATUSES)}",
                f"    date: {rng.randint(2016, 2024)}-{rng.randint(1, 12):02d}",
            ]
            if rng.random() < 0.3:
                lines.append(f"    summary: {json.dumps('This item specifies ' + title(rng).lower() + '.')}")
            item += 1
        (out / "landscape" / f"body-{b:05d}.yaml").write_text("\n".join(lines) + "\n")
    print(f"{out}: {item} items, {bodies_count} bodies")


if __name__ == "__main__":
    main()
