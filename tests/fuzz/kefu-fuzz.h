/* kefu-fuzz.h — what the fuzz targets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each target is one LLVMFuzzerTestOneInput(). With -Dfuzzing=true it links libFuzzer; in
 * every other build it links fuzz-replay.c, which runs it once over each file of its seed
 * corpus (a regression test of the inputs that once failed).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <json-glib/json-glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* The input as JSON through the server's bounded parser; NULL when it is not accepted (or is
 * only white space). */
JsonNode *kefu_fuzz_parse (const uint8_t *data,
                           size_t         size);

/* Whether json-glib 1.6 writes @node back as JSON. It does not for some doubles: a non-finite
 * one (from 1e999) comes out as "inf", one that "%.17g" writes with an exponent and no point
 * as "1e+22.0" or "1e-22.0". Such documents are left out of the round trips. */
gboolean  kefu_fuzz_writes_as_json (JsonNode *node);

/* Checks that a failure is a KEFU_ERROR with a known code, and frees it. */
void      kefu_fuzz_check_error (GError *error);
