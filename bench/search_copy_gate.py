#!/usr/bin/env python3
"""The cosine gate of copies among search results (engine/include/ruvision/engine/SearchCopies.h).

Reads a library's catalog (stored plain features, dimensions) built from Debian's wallpapers:
    build/bin/ruvision-cli index --library /tmp/lib /usr/share/wallpapers /usr/share/backgrounds
    python3 bench/search_copy_gate.py /tmp/lib/catalog.sqlite
Truth: two files are one picture when they belong to one Plasma wallpaper (its images/ files and
contents/screenshot; images_dark/ is another picture) or are MATE's Elephants at its sizes; every
other pair is two pictures. Only pairs of equal aspect ratio (|ln a - ln b| <= 0.03) count: the
gate is never asked about others. Wallpapers (and other files) are split in two halves by a seeded
shuffle: the gate is chosen on half 0 and reported on half 1.
"""
import math
import random
import re
import sqlite3
import struct
import sys


def picture(path):
    parts = path.split('/')
    if path.startswith('/usr/share/wallpapers/'):
        return parts[4] + ('/dark' if '/images_dark/' in path else ''), parts[4]
    key = re.sub(r'_\d+x\d+(?=\.)', '', path)
    return key, key


def main():
    db = sqlite3.connect(sys.argv[1])
    items = []
    for path, w, h, blob in db.execute(
            "select f.path, f.width, f.height, x.vector from files f join features x on x.file_id = f.id"):
        path = path.decode() if isinstance(path, bytes) else path
        key, unit = picture(path)
        items.append((path, w, h, struct.unpack('<%df' % (len(blob) // 4), blob), key, unit))
    units = sorted(set(it[5] for it in items))
    random.seed(9)
    random.shuffle(units)
    half_of = {u: (0 if i < len(units) // 2 else 1) for i, u in enumerate(units)}
    same, other = {0: [], 1: []}, {0: [], 1: []}
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            a, b = items[i], items[j]
            if half_of[a[5]] != half_of[b[5]]:
                continue
            if abs(math.log(a[1] / a[2]) - math.log(b[1] / b[2])) > 0.03:
                continue
            cos = sum(x * y for x, y in zip(a[3], b[3]))
            (same if a[4] == b[4] else other)[half_of[a[5]]].append((cos, a[0], b[0]))
    for half in (0, 1):
        same[half].sort()
        other[half].sort(reverse=True)
        print(f"half {half}: {len(same[half])} pairs of one picture (lowest cosine {same[half][0][0]:.4f}: "
              f"{same[half][0][1]} / {same[half][0][2]}), {len(other[half])} pairs of two pictures "
              f"(highest {other[half][0][0]:.4f}: {other[half][0][1]} / {other[half][0][2]})")
    for gate in (0.90, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98):
        row = [f"gate {gate:.2f}"]
        for half in (0, 1):
            row.append(f"half {half}: one picture {sum(c >= gate for c, _, _ in same[half])}/{len(same[half])} pass, "
                       f"two pictures {sum(c >= gate for c, _, _ in other[half])}/{len(other[half])} decoded")
        print("; ".join(row))


if __name__ == '__main__':
    main()
