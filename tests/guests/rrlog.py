#!/usr/bin/env python3
"""Edit a softvisor replay log the way an attacker or a bug would, keeping
its checksums valid, so a test can check that replay notices from the
guest's state alone (the format is in frontend/rr.h).

    rrlog.py check LOG                  verify every checksum (exit 1 if bad)
    rrlog.py edit-input LOG OUT OLD NEW copy LOG to OUT with the first INPUT
                                        record holding OLD changed to NEW
                                        (same length), checksums recomputed
    rrlog.py flip LOG OUT               copy LOG to OUT with one bit flipped in
                                        the payload of its middle block
                                        (checksums left alone)

XXH64 is written out here from its specification (xxhash.com, "xxHash
fast digest algorithm", XXH64), so the test needs nothing beyond python3.
"""
import struct
import sys

M = (1 << 64) - 1
P1 = 0x9E3779B185EBCA87
P2 = 0xC2B2AE3D27D4EB4F
P3 = 0x165667B19E3779F9
P4 = 0x85EBCA77C2B2AE63
P5 = 0x27D4EB2F165667C5


def rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & M


def xround(acc, lane):
    acc = (acc + lane * P2) & M
    return (rotl(acc, 31) * P1) & M


def merge(acc, val):
    acc ^= xround(0, val)
    return (acc * P1 + P4) & M


def xxh64(data, seed=0):
    n = len(data)
    p = 0
    if n >= 32:
        v = [(seed + P1 + P2) & M, (seed + P2) & M, seed & M, (seed - P1) & M]
        while p + 32 <= n:
            for i in range(4):
                v[i] = xround(v[i], struct.unpack_from("<Q", data, p + 8 * i)[0])
            p += 32
        h = (rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18)) & M
        for i in range(4):
            h = merge(h, v[i])
    else:
        h = (seed + P5) & M
    h = (h + n) & M
    while p + 8 <= n:
        h ^= xround(0, struct.unpack_from("<Q", data, p)[0])
        h = (rotl(h, 27) * P1 + P4) & M
        p += 8
    if p + 4 <= n:
        h ^= (struct.unpack_from("<I", data, p)[0] * P1) & M
        h = (rotl(h, 23) * P2 + P3) & M
        p += 4
    while p < n:
        h ^= (data[p] * P5) & M
        h = (rotl(h, 11) * P1) & M
        p += 1
    h ^= h >> 33
    h = (h * P2) & M
    h ^= h >> 29
    h = (h * P3) & M
    h ^= h >> 32
    return h


def blocks(log):
    """Yield (offset, seq, payload length) of each block; raise if bad."""
    if log[:8] != b"SVRRLOG\0" or struct.unpack_from("<Q", log, 16)[0] != xxh64(log[:16]):
        raise ValueError("bad file header")
    off = 24
    while off < len(log):
        magic, seq, length, _ = struct.unpack_from("<IIII", log, off)
        end = off + 16 + length
        if magic != 0x42525653 or end + 8 > len(log):
            raise ValueError(f"bad block at {off}")
        if struct.unpack_from("<Q", log, end)[0] != xxh64(log[off:end], seq):
            raise ValueError(f"block {seq} at {off}: checksum mismatch")
        yield off, seq, length
        off = end + 8


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "check":
        log = open(sys.argv[2], "rb").read()
        try:
            n = sum(1 for _ in blocks(log))
        except ValueError as e:
            sys.exit(f"rrlog: {e}")
        print(f"rrlog: {n} blocks, checksums good")
        return
    if len(sys.argv) == 4 and sys.argv[1] == "flip":
        log = bytearray(open(sys.argv[2], "rb").read())
        bl = list(blocks(log))
        off, _, length = bl[len(bl) // 2]
        log[off + 16 + length // 2] ^= 0x10
        open(sys.argv[3], "wb").write(log)
        return
    if len(sys.argv) != 6 or sys.argv[1] != "edit-input":
        sys.exit(__doc__)
    log = bytearray(open(sys.argv[2], "rb").read())
    old, new = sys.argv[4].encode(), sys.argv[5].encode()
    if len(old) != len(new):
        sys.exit("rrlog: OLD and NEW must have the same length")
    for off, seq, length in list(blocks(log)):
        p = off + 16
        while p < off + 16 + length:
            rtype, _, _, dlen = struct.unpack_from("<BBHI", log, p)
            data = p + 24
            at = log.find(old, data, data + dlen)
            if rtype == 2 and at >= 0:
                log[at:at + len(old)] = new
                end = off + 16 + length
                struct.pack_into("<Q", log, end, xxh64(bytes(log[off:end]), seq))
                open(sys.argv[3], "wb").write(log)
                return
            p = data + dlen
    sys.exit("rrlog: no INPUT record holds " + sys.argv[4])


if __name__ == "__main__":
    main()
