/* kefu-ticker.h — the one timer that moves every visible countdown
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KEFU_TYPE_TICKER (kefu_ticker_get_type ())
G_DECLARE_FINAL_TYPE (KefuTicker, kefu_ticker, KEFU, TICKER, GObject)

/* The process's ticker. It runs only while something holds it: every second while some holder
 * shows seconds, otherwise once a minute, on the minute. Each tick updates "now" (the real
 * time, µs since the epoch) and emits "tick". */
KefuTicker *kefu_ticker_get_default      (void);

gint64      kefu_ticker_get_now          (KefuTicker *self);

/* A countdown on screen holds the ticker while it is mapped. */
void        kefu_ticker_hold             (KefuTicker *self);
void        kefu_ticker_release          (KefuTicker *self);
/* A held countdown that shows seconds asks for them (each request is balanced by a
 * withdrawal). */
void        kefu_ticker_want_seconds     (KefuTicker *self,
                                          gboolean    want);

/* For a widget that shows times counted from "now": holds the ticker while @widget is mapped,
 * and then calls @update (@widget) once at once and again at every tick. Called once, from
 * the widget's init. */
void        kefu_ticker_follow_mapped    (KefuTicker *self,
                                          GtkWidget  *widget,
                                          GCallback   update);
/* A widget that follows the ticker shows seconds (or no longer does): the ticker ticks every
 * second while it is mapped and wants them. Ignored while it is not mapped; unmapping
 * withdraws it. */
void        kefu_ticker_follower_want_seconds (KefuTicker *self,
                                               GtkWidget  *widget,
                                               gboolean    want);

/* For tests: from now on the ticker's "now" runs @offset µs ahead of the real clock, and it
 * ticks at once when something holds it (as at a real tick), so that what counts from "now"
 * can be moved without waiting. 0 goes back to the real time. */
void        kefu_ticker_set_offset_for_testing (KefuTicker *self,
                                                gint64      offset);

/* How many holders and second-wanting holders there are (for tests). */
guint       kefu_ticker_get_n_holders    (KefuTicker *self);
gboolean    kefu_ticker_get_every_second (KefuTicker *self);

G_END_DECLS
