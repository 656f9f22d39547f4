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

/* A ticket document carries the newest KEFU_TIMELINE_PAGE events of its timeline and the count
 * of all of them ("timeline_total"); older ones come in pages of at most KEFU_TIMELINE_MAX_PAGE
 * from GET /tickets/{n}/timeline. Without the bound, a ticket with 600 notes was a 7 MB
 * answer to every GET and every change. */
#define KEFU_TIMELINE_PAGE         50
#define KEFU_TIMELINE_MAX_PAGE     200

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
  /* The call back promised to the customer at registration (the policy's value for the
   * priority then): 0 seconds for tickets registered before it was kept. */
  gint64       callback_promise_seconds;
  gboolean     callback_promise_business;
  gint64       callback_due;
} KefuTicketSla;

typedef struct {
  gint64         id;
  KefuEventKind  kind;
  gint64         at;
  KefuUserRef    actor;       /* id 0 = the system (SLA clock) */
  char          *text;        /* human text: note body, reason, … (may be NULL) */
  JsonObject    *data;        /* kind-specific details (may be NULL), e.g. {"from":"new","to":"assigned"} */
} KefuTicketEvent;

/* Evidence stored by the server (photos, videos, PDFs). */
typedef struct {
  gint64       id;
  char        *name;
  char        *content_type;
  gint64       size;             /* bytes */
  gint64       uploaded_at;
  KefuUserRef  uploaded_by;
} KefuAttachment;

typedef struct {
  gint64  at;                    /* when the reschedule was recorded */
  gint64  from;                  /* the old scheduled_at */
  gint64  to;                    /* the new scheduled_at */
  char   *reason;
} KefuVisitReschedule;

/* A field visit (上门服务). */
typedef struct {
  gint64           id;
  KefuVisitStatus  status;
  gint64           scheduled_at;
  char            *address;
  KefuUserRef      technician;
  char            *parts;              /* or NULL */
  KefuWarranty     warranty;
  char            *warranty_until;     /* "YYYY-MM-DD" or NULL */
  gint64           fee_cents;
  gint64           arrived_at;
  gint64           done_at;
  char            *outcome;            /* or NULL */
  GPtrArray       *reschedules;        /* of KefuVisitReschedule*, never NULL after _new() */
} KefuVisit;

typedef struct {
  KefuReturnStep  step;
  gint64          at;
  KefuUserRef     by;
  char           *note;                /* or NULL */
} KefuReturnStepEntry;

/* A return, exchange, reship or partial refund (退换货). */
typedef struct {
  gint64            id;
  KefuReturnType    type;
  KefuReturnReason  reason;
  KefuReturnStep    step;
  gint64            amount_cents;
  GArray           *attachment_ids;    /* of gint64, never NULL after _new() */
  gint64            review_due;
  gint64            pickup_due;        /* 0 until approved */
  GPtrArray        *steps;             /* of KefuReturnStepEntry*, never NULL after _new() */
} KefuReturn;

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
  GPtrArray         *events;             /* of KefuTicketEvent*, NULL when not loaded; the
                                          * newest KEFU_TIMELINE_PAGE of the timeline when
                                          * it comes from the server */
  gint64             timeline_total;     /* how many events the whole timeline has (at least
                                          * events->len; see kefu_ticket_timeline_total()) */
  GPtrArray         *attachments;        /* of KefuAttachment*, never NULL after _new() */
  GPtrArray         *visits;             /* of KefuVisit*, never NULL after _new() */
  GPtrArray         *returns;            /* of KefuReturn*, never NULL after _new() */
} KefuTicket;

#define KEFU_TYPE_TICKET (kefu_ticket_get_type ())
GType       kefu_ticket_get_type       (void) G_GNUC_CONST;

KefuTicket *kefu_ticket_new            (void);
KefuTicket *kefu_ticket_ref            (KefuTicket *ticket);
void        kefu_ticket_unref          (KefuTicket *ticket);
KefuTicket *kefu_ticket_copy           (const KefuTicket *ticket);   /* deep copy, new ref */
gboolean    kefu_ticket_equal          (const KefuTicket *a,
                                        const KefuTicket *b);         /* all wire fields + events */

/* ticket->timeline_total, or the number of events held when that is more (0 when none). */
gint64      kefu_ticket_timeline_total (const KefuTicket *ticket);

KefuTicketEvent *kefu_ticket_event_new  (KefuEventKind kind,
                                         gint64        at);
KefuTicketEvent *kefu_ticket_event_copy (const KefuTicketEvent *event);
void             kefu_ticket_event_free (KefuTicketEvent *event);
JsonNode        *kefu_ticket_event_to_json   (const KefuTicketEvent *event);
KefuTicketEvent *kefu_ticket_event_from_json (JsonNode *node,
                                              GError  **error);

KefuAttachment *kefu_attachment_new       (void);
KefuAttachment *kefu_attachment_copy      (const KefuAttachment *attachment);
void            kefu_attachment_free      (KefuAttachment       *attachment);
JsonNode       *kefu_attachment_to_json   (const KefuAttachment *attachment);
KefuAttachment *kefu_attachment_from_json (JsonNode             *node,
                                           GError              **error);

KefuVisitReschedule *kefu_visit_reschedule_new  (gint64      at,
                                                 gint64      from,
                                                 gint64      to,
                                                 const char *reason);
void                 kefu_visit_reschedule_free (KefuVisitReschedule *reschedule);

KefuVisit      *kefu_visit_new            (void);
KefuVisit      *kefu_visit_copy           (const KefuVisit *visit);
void            kefu_visit_free           (KefuVisit       *visit);
JsonNode       *kefu_visit_to_json        (const KefuVisit *visit);
KefuVisit      *kefu_visit_from_json      (JsonNode        *node,
                                           GError         **error);

KefuReturnStepEntry *kefu_return_step_entry_new  (KefuReturnStep  step,
                                                  gint64          at,
                                                  gint64          by_id,
                                                  const char     *by_name,
                                                  const char     *note);
void                 kefu_return_step_entry_free (KefuReturnStepEntry *entry);

KefuReturn     *kefu_return_new           (void);
KefuReturn     *kefu_return_copy          (const KefuReturn *ret);
void            kefu_return_free          (KefuReturn       *ret);
JsonNode       *kefu_return_to_json       (const KefuReturn *ret);
KefuReturn     *kefu_return_from_json     (JsonNode         *node,
                                           GError          **error);

/* Lookups by id in the ticket's arrays (borrowed, NULL when absent). */
KefuAttachment *kefu_ticket_find_attachment (const KefuTicket *ticket,
                                             gint64            id);
KefuVisit      *kefu_ticket_find_visit      (const KefuTicket *ticket,
                                             gint64            id);
KefuReturn     *kefu_ticket_find_return     (const KefuTicket *ticket,
                                             gint64            id);

void        kefu_customer_clear        (KefuCustomer *customer);
void        kefu_user_ref_clear        (KefuUserRef  *ref);
void        kefu_user_ref_set          (KefuUserRef  *ref,
                                        gint64        id,
                                        const char   *display_name);

typedef enum {
  KEFU_TICKET_JSON_DEFAULT     = 0,
  KEFU_TICKET_JSON_MASK_PHONE  = 1 << 0,   /* customer.phone → "138****5678" */
  KEFU_TICKET_JSON_WITH_EVENTS = 1 << 1,   /* add "events": [...] and "timeline_total" when
                                            * loaded */
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
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KefuAttachment, kefu_attachment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KefuVisit, kefu_visit_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KefuReturn, kefu_return_free)

G_END_DECLS
