/* nirbridge plugin ABI v1: the canonical contract's names. Part of plugin.h; include plugin.h.
 *
 * Framework plugins talk to each other and to the host only through graph metadata (the
 * discrete meaning a canonical graph carries) and through diagnostics (the verdict of a
 * conversion). These are the names of both; nirb/sdk/canonical.hpp holds the vocabulary of
 * values and the C++ types built on them. docs/frameworks/conversion.md describes each key. */
#ifndef NIRB_ABI_CANONICAL_H
#define NIRB_ABI_CANONICAL_H

/* --- graph metadata keys --- */
/* "1" on a graph in the canonical reading (written by every <framework>.to-canonical pass). */
#define NIRB_META_CANONICAL "nirb.canonical"
/* The framework whose export was normalised, e.g. "toyfw". */
#define NIRB_META_SOURCE_FRAMEWORK "nirb.source.framework"
/* Step length in seconds (a number): the one thing every NIR file leaves out. */
#define NIRB_META_DT "nirb.dt"
/* Name of the simulator profile that reproduces the graph's current encoding. */
#define NIRB_META_PROFILE "nirb.profile"
/* Prefix of the discrete-semantics keys, graph level (defaults) or node level (overrides):
 * "nirb.profile.reset", "nirb.profile.input_gain.membrane", ... (canonical.hpp lists them). */
#define NIRB_META_SEMANTICS_PREFIX "nirb.profile."
/* The verdict of the last from-canonical pass: "exact", "approximate" or "impossible". */
#define NIRB_META_VERDICT "nirb.verdict"
/* Its reasons, one per "; ", each prefixed with the node path. */
#define NIRB_META_VERDICT_REASON "nirb.verdict.reason"
/* Prefix of the keyword arguments the target framework's importer needs
 * ("nirb.import.dt" = 1e-4 means `import(..., dt=1e-4)`). */
#define NIRB_META_IMPORT_PREFIX "nirb.import."

/* --- verdict diagnostics ---
 * A from-canonical pass reports each reason of its verdict as one diagnostic with one of these
 * codes and the node path: the host rebuilds the verdict from them (never from message text).
 * A pass whose verdict is impossible reports at least one NIRB_CODE_VERDICT_IMPOSSIBLE and then
 * fails with NIRB_UNSUPPORTED, so nothing is written. */
#define NIRB_CODE_VERDICT_NOTE "NIRB-N900"        /* severity note: a fact of an exact step */
#define NIRB_CODE_VERDICT_APPROXIMATE "NIRB-W900" /* severity warning: why only approximate */
#define NIRB_CODE_VERDICT_IMPOSSIBLE "NIRB-E900"  /* severity error: why impossible */

#endif /* NIRB_ABI_CANONICAL_H */
