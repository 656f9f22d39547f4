/* kefu-number.h — ticket numbers: "FW" + YYYYMMDD + per-day serial (≥ 3 digits)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The day key is the registration date in the server's time zone as the integer YYYYMMDD. */
guint32  kefu_number_day_key    (gint64     usec,
                                 GTimeZone *tz);
/* "FW" + day + serial zero-padded to 3 digits (more when serial > 999). serial ≥ 1. */
char    *kefu_number_format     (guint32    day_key,
                                 guint      serial);
/* Parses a ticket number; FALSE for anything malformed (bad date, serial 0, junk). */
gboolean kefu_number_parse      (const char *number,
                                 guint32    *out_day_key,
                                 guint      *out_serial);

G_END_DECLS
