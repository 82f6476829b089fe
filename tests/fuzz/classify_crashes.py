#!/usr/bin/env python3
"""Sort the crash reports in a libFuzzer log by where they happened: the first stack frame
outside the sanitizer runtime and libc is either in libhdf5 (a libhdf5 bug, contained by
the read supervisor) or in our code (a bug to fix). Exit 1 if any is in our code.

    tests/fuzz/classify_crashes.py LOG
"""
import re
import sys

RUNTIME = ("libclang_rt", "__asan", "__interceptor", "__sanitizer", "libc.so", "libc-",
           "libstdc++", "__memcpy", "__memmove", "memcpy", "memmove", "strlen", "free",
           "malloc", "calloc", "realloc", "fuzzer::", "abort", "raise", "pthread_kill",
           "std::terminate", "__cxa_throw", "__gxx_personality", "_Unwind")
FRAME = re.compile(r"^\s*#(\d+) 0x[0-9a-f]+\s+(?:in\s+)?(\S+)(.*)$")


def classify(lines):
    reports, frames, inside = [], [], False
    for line in lines:
        if "ERROR: AddressSanitizer" in line or "ERROR: UndefinedBehaviorSanitizer" in line \
                or "ERROR: LeakSanitizer" in line or "ERROR: libFuzzer" in line \
                or "runtime error:" in line:
            if frames:
                reports.append(frames)
            frames, inside = [], True
            continue
        m = FRAME.match(line)
        if inside and m:
            frames.append((m.group(2), m.group(3)))
        elif inside and frames and not line.strip():
            reports.append(frames)
            frames, inside = [], False
    if frames:
        reports.append(frames)
    ours, hdf5 = 0, 0
    for fr in reports:
        top = next(((f, rest) for f, rest in fr
                    if not any(r in f or r in rest for r in RUNTIME)), ("?", ""))
        where = top[0] + top[1]
        if "libhdf5" in where or top[0].startswith("H5"):
            hdf5 += 1
        else:
            ours += 1
            print("in our code:", where.strip())
    print(f"{len(reports)} report(s): {hdf5} in libhdf5, {ours} elsewhere")
    return 1 if ours else 0


if __name__ == "__main__":
    with open(sys.argv[1], errors="replace") as f:
        sys.exit(classify(f.readlines()))
