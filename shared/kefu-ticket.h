/* kefu-ticket.h — the ticket model and its JSON encoding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kefu-enums.h"

G_BEGIN_DECLS

/* All times are gint64 microseconds since the Unix epoch, UTC (like g_get_real_time()); 0 means
 * "not set" and is encoded as JSON null. On the wire they are RFC 3339 UTC strings with second
 * precision ("2026-11-23T08:30:00Z"); sub-second parts are accepted on input and dropped. */

#define KEFU_DESCRIPTION_MAX_CHARS 10000
#define KEFU_SHORT_TEXT_MAX_CHARS  200    /* names, codes, models, subcategory … */
#define KEFU_LONG_TEXT_MAX_CHARS   4000   /* notes, summaries, comments, addresses */

typedef struct {
  gint64  id;              /* 0 = nobody */
  char   *display_name;
} KefuUserRef;

typedef struct {
  char *name;
  char *phone;
  char *email;
  char *code;
  char *order_no;
  char *product_model;
  char *serial_no;
  char *purchase_date;     /* "YYYY-MM-DD" or NULL */
  char *address;
} KefuCustomer;

typedef struct {
  KefuResolutionKind kind;
  char   *summary;
  gint64  cost_cents;
  gint64  minutes_spent;
} KefuResolution;

typedef struct {
  gboolean solved;
  int      satisfaction;   /* 1..5 */
  char    *comment;
  gint64   confirmed_at;
} KefuConfirmation;

typedef struct {
  gint64       response_due;
  gint64       resolve_due;
  gint64       accept_due;
  gint64       next_update_due;
  gint64       confirm_due;
  gint64       first_response_at;
  gint64       accepted_at;
  gint64       resolved_at;
  gint64       closed_at;
  gboolean     paused;
  KefuSlaState state;
} KefuTicketSla;

typedef struct {
  gint64         id;
  KefuEventKind  kind;
  gint64         at;
  KefuUserRef    actor;       /* id 0 = the system (SLA clock) */
  char          *text;        /* human text: note body, reason, … (may be NULL) */
  JsonObject    *data;        /* kind-specific details (may be NULL), e.g. {"from":"new","to":"assigned"} */
} KefuTicketEvent;

typedef struct {
  /*< private >*/
  gint               ref_count;
  /*< public >*/
  gint64             id;                 /* database id, not on the wire */
  char              *number;             /* "FW20261123001" */
  gint64             version;
  KefuChannel        channel;
  KefuStage          stage;
  KefuCategory       category;
  char              *subcategory;
  int                priority;           /* 1..4 */
  KefuStatus         status;
  KefuCustomer       customer;
  char              *description;
  gint64             submitted_at;
  gint64             registered_at;
  KefuUserRef        registered_by;
  KefuUserRef        assignee;
  char              *department;         /* lead department code, e.g. "technical", or NULL */
  GStrv              supporting_departments; /* NULL-terminated, never NULL after _new() */
  KefuTicketSla      sla;
  int                escalation_level;
  KefuResolution    *resolution;         /* NULL until resolved */
  KefuConfirmation  *confirmation;       /* NULL until confirmed */
  gint64             updated_at;
  GPtrArray         *events;             /* of KefuTicketEvent*, NULL when not loaded */
} KefuTicket;

#define KEFU_TYPE_TICKET (kefu_ticket_get_type ())
GType       kefu_ticket_get_type       (void) G_GNUC_CONST;

KefuTicket *kefu_ticket_new            (void);
KefuTicket *kefu_ticket_ref            (KefuTicket *ticket);
void        kefu_ticket_unref          (KefuTicket *ticket);
KefuTicket *kefu_ticket_copy           (const KefuTicket *ticket);   /* deep copy, new ref */
gboolean    kefu_ticket_equal          (const KefuTicket *a,
                                        const KefuTicket *b);         /* all wire fields + events */

KefuTicketEvent *kefu_ticket_event_new  (KefuEventKind kind,
                                         gint64        at);
KefuTicketEvent *kefu_ticket_event_copy (const KefuTicketEvent *event);
void             kefu_ticket_event_free (KefuTicketEvent *event);
JsonNode        *kefu_ticket_event_to_json   (const KefuTicketEvent *event);
KefuTicketEvent *kefu_ticket_event_from_json (JsonNode *node,
                                              GError  **error);

void        kefu_customer_clear        (KefuCustomer *customer);
void        kefu_user_ref_clear        (KefuUserRef  *ref);
void        kefu_user_ref_set          (KefuUserRef  *ref,
                                        gint64        id,
                                        const char   *display_name);

typedef enum {
  KEFU_TICKET_JSON_DEFAULT     = 0,
  KEFU_TICKET_JSON_MASK_PHONE  = 1 << 0,   /* customer.phone → "138****5678" */
  KEFU_TICKET_JSON_WITH_EVENTS = 1 << 1,   /* add "events": [...] when loaded */
} KefuTicketJsonFlags;

/* Encodes the ticket object of API.md. */
JsonNode   *kefu_ticket_to_json        (const KefuTicket    *ticket,
                                        KefuTicketJsonFlags  flags);
/* Decodes a full ticket object (as produced by kefu_ticket_to_json). Lossless round trip:
 * kefu_ticket_equal (t, from_json (to_json (t, WITH_EVENTS))) for any t (id excepted). */
KefuTicket *kefu_ticket_from_json      (JsonNode            *node,
                                        GError             **error);

/* "13812345678" → "138****5678"; short or odd numbers keep at most the last 4 digits visible.
 * NULL → NULL. */
char       *kefu_mask_phone            (const char *phone);

/* Time helpers shared by codec and validation. */
char       *kefu_time_to_iso8601       (gint64       usec);           /* NULL for 0 */
gboolean    kefu_time_from_iso8601     (const char  *str,
                                        gint64      *out_usec);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KefuTicket, kefu_ticket_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KefuTicketEvent, kefu_ticket_event_free)

G_END_DECLS
