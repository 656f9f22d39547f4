/* kefu-section-form.h — a small modal form for a change to one part of a ticket
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers, not a class: the visits, returns and attachments sections of the ticket page ask for
 * input in a small window (not an AdwMessageDialog: a message dialog of libadwaita 1.2 closes on
 * every response, and a field the server refuses has to stay on screen with its error under
 * it). The form writes with the version of the ticket it was opened on; a version conflict
 * closes it, says so and reloads the ticket (action ticket.reload).
 */
#pragma once

#include <adwaita.h>

#include "kefu-connection.h"

G_BEGIN_DECLS

typedef struct _KefuSectionForm KefuSectionForm;

/* Builds the request from the fields: the method, what follows /tickets/NUMBER/ and the body;
 * or FALSE with a field error (kefu_set_field_error()) to show. */
typedef gboolean (*KefuSectionFormBuild) (KefuSectionForm  *form,
                                          char            **out_method,
                                          char            **out_what,
                                          JsonNode        **out_body,
                                          GError          **error);
/* The change succeeded; @ticket is the server's answer. */
typedef void     (*KefuSectionFormDone)  (GtkWidget        *owner,
                                          KefuTicket       *ticket);

/* A form for @owner (a widget inside the ticket page) on @ticket. *@slot (owned by @owner)
 * points at the form while it is open and is reset when it closes. */
KefuSectionForm *kefu_section_form_new        (GtkWidget            *owner,
                                               KefuSectionForm     **slot,
                                               KefuConnection       *connection,
                                               KefuTicket           *ticket,
                                               const char           *title,
                                               const char           *ok_label,
                                               gboolean              destructive,
                                               KefuSectionFormBuild  build,
                                               KefuSectionFormDone   done,
                                               const char           *done_message);
void        kefu_section_form_present         (KefuSectionForm      *form);
GtkWindow  *kefu_section_form_get_window      (KefuSectionForm      *form);
KefuTicket *kefu_section_form_get_ticket      (KefuSectionForm      *form);
/* Data for the build function (freed with the form). */
void        kefu_section_form_set_data        (KefuSectionForm      *form,
                                               gpointer              data,
                                               GDestroyNotify        destroy);
gpointer    kefu_section_form_get_data        (KefuSectionForm      *form);

/* Fields, by the wire name the server's errors use. */
void        kefu_section_form_add_entry       (KefuSectionForm      *form,
                                               const char           *name,
                                               const char           *title,
                                               const char           *text);
void        kefu_section_form_add_combo       (KefuSectionForm      *form,
                                               const char           *name,
                                               const char           *title,
                                               const char * const   *labels,
                                               const char * const   *words,
                                               const char           *selected);
void        kefu_section_form_add_spin        (KefuSectionForm      *form,
                                               const char           *name,
                                               const char           *title,
                                               const char           *subtitle,
                                               double                max,
                                               guint                 digits);
void        kefu_section_form_add_text        (KefuSectionForm      *form,
                                               const char           *name,
                                               const char           *title,
                                               const char           *hint);
void        kefu_section_form_add_checks      (KefuSectionForm      *form,
                                               const char           *name,
                                               const char           *title,
                                               const char * const   *labels,
                                               const char * const   *words);
/* A line of information under the fields (NULL hides it); @style "warning", "dim-label" or
 * NULL. */
void        kefu_section_form_set_note        (KefuSectionForm      *form,
                                               const char           *text,
                                               const char           *style);

/* The values. */
const char *kefu_section_form_get_word        (KefuSectionForm      *form,
                                               const char           *name);
char       *kefu_section_form_get_text        (KefuSectionForm      *form,
                                               const char           *name);
double      kefu_section_form_get_number      (KefuSectionForm      *form,
                                               const char           *name);
GStrv       kefu_section_form_get_checked     (KefuSectionForm      *form,
                                               const char           *name);

/* For tests and the keyboard: the same as typing or choosing. */
void        kefu_section_form_set_text        (KefuSectionForm      *form,
                                               const char           *name,
                                               const char           *text);
gboolean    kefu_section_form_select          (KefuSectionForm      *form,
                                               const char           *name,
                                               const char           *word);
void        kefu_section_form_set_number      (KefuSectionForm      *form,
                                               const char           *name,
                                               double                value);
void        kefu_section_form_set_checked     (KefuSectionForm      *form,
                                               const char           *name,
                                               const char           *word,
                                               gboolean              active);
/* The shown error of a field (NULL: the general error), or NULL when none shows. */
const char *kefu_section_form_get_error       (KefuSectionForm      *form,
                                               const char           *name);
const char *kefu_section_form_get_note        (KefuSectionForm      *form);
gboolean    kefu_section_form_is_busy         (KefuSectionForm      *form);
void        kefu_section_form_submit          (KefuSectionForm      *form);

/* A checked text of at most @max characters, or FALSE with a field error. */
gboolean    kefu_section_form_check_text      (const char           *text,
                                               const char           *field,
                                               gboolean              required,
                                               gsize                 max,
                                               GError              **error);

/* "¥12.50" for 1250 cents. */
char       *kefu_section_format_money         (gint64                cents);

G_END_DECLS
