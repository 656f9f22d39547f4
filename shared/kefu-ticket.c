/* kefu-ticket.c — the ticket model and its JSON encoding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kefu-ticket.h"

#include <string.h>

#include "kefu-error.h"

G_DEFINE_BOXED_TYPE (KefuTicket, kefu_ticket, kefu_ticket_ref, kefu_ticket_unref)

/* ------------------------------------------------------------------------------------------ */
/* Time helpers                                                                               */

/* Seconds since the epoch, rounded towards minus infinity. */
static gint64
usec_to_secs (gint64 usec)
{
  gint64 secs = usec / G_USEC_PER_SEC;

  if (usec % G_USEC_PER_SEC < 0)
    secs--;

  return secs;
}

/* Times compare at wire precision (whole seconds); 0 means "not set". */
static gboolean
time_equal (gint64 a,
            gint64 b)
{
  if (a == 0 || b == 0)
    return a == b;

  return usec_to_secs (a) == usec_to_secs (b);
}

char *
kefu_time_to_iso8601 (gint64 usec)
{
  g_autoptr(GDateTime) dt = NULL;

  if (usec == 0)
    return NULL;

  dt = g_date_time_new_from_unix_utc (usec_to_secs (usec));
  if (dt == NULL)
    return NULL;

  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ",
                          g_date_time_get_year (dt),
                          g_date_time_get_month (dt),
                          g_date_time_get_day_of_month (dt),
                          g_date_time_get_hour (dt),
                          g_date_time_get_minute (dt),
                          g_date_time_get_second (dt));
}

/* The digits str[0..n) as a number, or -1 when one is not an ASCII digit. */
static int
parse_digits (const char *str,
              guint       n)
{
  int value = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (str[i]))
        return -1;
      value = value * 10 + (str[i] - '0');
    }
  return value;
}

/* The shape every time on the wire has, "YYYY-MM-DDTHH:MM:SSZ", read without GDateTime
 * (decoding a list page reads a few of them per ticket; GDateTime was a tenth of the cost).
 * FALSE when @str has another shape or a field out of range: the caller then asks GLib, so
 * what is accepted and its value are exactly GLib's. */
static gboolean
time_from_wire_shape (const char *str,
                      gint64     *out_secs)
{
  int year, month, day, hour, minute, second;
  gint64 y, era, yoe, doy, doe, days;

  if (strlen (str) != 20 || str[4] != '-' || str[7] != '-' || str[10] != 'T'
      || str[13] != ':' || str[16] != ':' || str[19] != 'Z')
    return FALSE;

  year = parse_digits (str, 4);
  month = parse_digits (str + 5, 2);
  day = parse_digits (str + 8, 2);
  hour = parse_digits (str + 11, 2);
  minute = parse_digits (str + 14, 2);
  second = parse_digits (str + 17, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1
      || day > g_date_get_days_in_month (month, year)
      || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
    return FALSE;

  /* Days since 1970-01-01 of the proleptic Gregorian date (H. Hinnant's days_from_civil). */
  y = month <= 2 ? year - 1 : year;
  era = y / 400;
  yoe = y - era * 400;
  doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  days = era * 146097 + doe - 719468;

  *out_secs = days * 86400 + hour * 3600 + minute * 60 + second;
  return TRUE;
}

gboolean
kefu_time_from_iso8601 (const char *str,
                        gint64     *out_usec)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) dt = NULL;
  gint64 secs;

  if (str == NULL || *str == '\0')
    return FALSE;

  if (time_from_wire_shape (str, &secs))
    {
      if (out_usec != NULL)
        *out_usec = secs * G_USEC_PER_SEC;
      return TRUE;
    }

  /* Strings without an offset are taken as UTC; fractions are dropped. */
  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (str, utc);
  if (dt == NULL)
    return FALSE;

  if (out_usec != NULL)
    *out_usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC;

  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Small value types                                                                          */

void
kefu_customer_clear (KefuCustomer *customer)
{
  g_return_if_fail (customer != NULL);

  g_clear_pointer (&customer->name, g_free);
  g_clear_pointer (&customer->phone, g_free);
  g_clear_pointer (&customer->email, g_free);
  g_clear_pointer (&customer->code, g_free);
  g_clear_pointer (&customer->order_no, g_free);
  g_clear_pointer (&customer->product_model, g_free);
  g_clear_pointer (&customer->serial_no, g_free);
  g_clear_pointer (&customer->purchase_date, g_free);
  g_clear_pointer (&customer->address, g_free);
}

static void
customer_copy (const KefuCustomer *src,
               KefuCustomer       *dest)
{
  dest->name = g_strdup (src->name);
  dest->phone = g_strdup (src->phone);
  dest->email = g_strdup (src->email);
  dest->code = g_strdup (src->code);
  dest->order_no = g_strdup (src->order_no);
  dest->product_model = g_strdup (src->product_model);
  dest->serial_no = g_strdup (src->serial_no);
  dest->purchase_date = g_strdup (src->purchase_date);
  dest->address = g_strdup (src->address);
}

static gboolean
customer_equal (const KefuCustomer *a,
                const KefuCustomer *b)
{
  return g_strcmp0 (a->name, b->name) == 0 &&
         g_strcmp0 (a->phone, b->phone) == 0 &&
         g_strcmp0 (a->email, b->email) == 0 &&
         g_strcmp0 (a->code, b->code) == 0 &&
         g_strcmp0 (a->order_no, b->order_no) == 0 &&
         g_strcmp0 (a->product_model, b->product_model) == 0 &&
         g_strcmp0 (a->serial_no, b->serial_no) == 0 &&
         g_strcmp0 (a->purchase_date, b->purchase_date) == 0 &&
         g_strcmp0 (a->address, b->address) == 0;
}

void
kefu_user_ref_clear (KefuUserRef *ref)
{
  g_return_if_fail (ref != NULL);

  ref->id = 0;
  g_clear_pointer (&ref->display_name, g_free);
}

void
kefu_user_ref_set (KefuUserRef *ref,
                   gint64       id,
                   const char  *display_name)
{
  char *name;

  g_return_if_fail (ref != NULL);

  /* Duplicate first: display_name may be ref->display_name itself. */
  name = g_strdup (display_name);
  g_free (ref->display_name);
  ref->id = id;
  ref->display_name = name;
}

/* A reference to nobody (id 0) is null on the wire, so its name does not count. */
static gboolean
user_ref_equal (const KefuUserRef *a,
                const KefuUserRef *b)
{
  if (a->id != b->id)
    return FALSE;

  return a->id == 0 || g_strcmp0 (a->display_name, b->display_name) == 0;
}

static KefuResolution *
resolution_copy (const KefuResolution *src)
{
  KefuResolution *dest;

  if (src == NULL)
    return NULL;

  dest = g_new0 (KefuResolution, 1);
  dest->kind = src->kind;
  dest->summary = g_strdup (src->summary);
  dest->cost_cents = src->cost_cents;
  dest->minutes_spent = src->minutes_spent;

  return dest;
}

static void
resolution_free (KefuResolution *resolution)
{
  if (resolution == NULL)
    return;

  g_free (resolution->summary);
  g_free (resolution);
}

static gboolean
resolution_equal (const KefuResolution *a,
                  const KefuResolution *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return a->kind == b->kind &&
         g_strcmp0 (a->summary, b->summary) == 0 &&
         a->cost_cents == b->cost_cents &&
         a->minutes_spent == b->minutes_spent;
}

static KefuConfirmation *
confirmation_copy (const KefuConfirmation *src)
{
  KefuConfirmation *dest;

  if (src == NULL)
    return NULL;

  dest = g_new0 (KefuConfirmation, 1);
  dest->solved = src->solved;
  dest->satisfaction = src->satisfaction;
  dest->comment = g_strdup (src->comment);
  dest->confirmed_at = src->confirmed_at;

  return dest;
}

static void
confirmation_free (KefuConfirmation *confirmation)
{
  if (confirmation == NULL)
    return;

  g_free (confirmation->comment);
  g_free (confirmation);
}

static gboolean
confirmation_equal (const KefuConfirmation *a,
                    const KefuConfirmation *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return !a->solved == !b->solved &&
         a->satisfaction == b->satisfaction &&
         g_strcmp0 (a->comment, b->comment) == 0 &&
         time_equal (a->confirmed_at, b->confirmed_at);
}

static gboolean
sla_equal (const KefuTicketSla *a,
           const KefuTicketSla *b)
{
  return time_equal (a->response_due, b->response_due) &&
         time_equal (a->resolve_due, b->resolve_due) &&
         time_equal (a->accept_due, b->accept_due) &&
         time_equal (a->next_update_due, b->next_update_due) &&
         time_equal (a->confirm_due, b->confirm_due) &&
         time_equal (a->first_response_at, b->first_response_at) &&
         time_equal (a->accepted_at, b->accepted_at) &&
         time_equal (a->resolved_at, b->resolved_at) &&
         time_equal (a->closed_at, b->closed_at) &&
         !a->paused == !b->paused &&
         a->state == b->state &&
         a->callback_promise_seconds == b->callback_promise_seconds &&
         !a->callback_promise_business == !b->callback_promise_business &&
         time_equal (a->callback_due, b->callback_due);
}

static gboolean
strv_equal (const char * const *a,
            const char * const *b)
{
  static const char * const empty[] = { NULL };

  return g_strv_equal (a != NULL ? a : empty, b != NULL ? b : empty);
}

/* ------------------------------------------------------------------------------------------ */
/* Deep copies of JSON (json_node_copy() shares objects, arrays and values)                  */

static JsonNode *json_node_deep_copy (JsonNode *node);

/* A node that owns @object (json_node_init_object() would add a reference of its own). */
static JsonNode *
take_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static JsonObject *
json_object_deep_copy (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    json_object_set_member (copy, name, json_node_deep_copy (member));

  return copy;
}

static JsonNode *
json_node_deep_copy (JsonNode *node)
{
  JsonNode *copy = json_node_alloc ();

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_object_deep_copy (json_node_get_object (node));

        json_node_init_object (copy, object);
        json_object_unref (object);
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *src = json_node_get_array (node);
        guint n = json_array_get_length (src);
        JsonArray *array = json_array_sized_new (n);

        for (guint i = 0; i < n; i++)
          json_array_add_element (array, json_node_deep_copy (json_array_get_element (src, i)));
        json_node_init_array (copy, array);
        json_array_unref (array);
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          json_node_init_int (copy, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          json_node_init_double (copy, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          json_node_init_boolean (copy, json_node_get_boolean (node));
          break;
        case G_TYPE_STRING:
          json_node_init_string (copy, json_node_get_string (node));
          break;
        default:
          json_node_init_null (copy);
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      json_node_init_null (copy);
      break;
    }

  return copy;
}

static gboolean
json_object_equal_nullable (JsonObject *a,
                            JsonObject *b)
{
  JsonNode *na, *nb;
  gboolean equal;

  if (a == NULL || b == NULL)
    return a == b;
  if (a == b)
    return TRUE;

  na = json_node_init_object (json_node_alloc (), a);
  nb = json_node_init_object (json_node_alloc (), b);
  equal = json_node_equal (na, nb);
  json_node_unref (na);
  json_node_unref (nb);

  return equal;
}

/* ------------------------------------------------------------------------------------------ */
/* Reading JSON with field-level errors                                                       */

static char *
field_name (const char *prefix,
            const char *name)
{
  if (prefix == NULL)
    return g_strdup (name);

  return g_strconcat (prefix, ".", name, NULL);
}

static gboolean
set_member_error (GError    **error,
                  const char *prefix,
                  const char *name,
                  const char *problem)
{
  g_autofree char *field = field_name (prefix, name);

  kefu_set_field_error (error, field, "%s %s", field, problem);

  return FALSE;
}

/* The member, or NULL when it is missing or null. */
static JsonNode *
get_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

static gboolean
node_holds (JsonNode *node,
            GType     value_type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == value_type;
}

/* Optional string: missing or null → NULL. */
static gboolean
read_string (JsonObject  *object,
             const char  *prefix,
             const char  *name,
             char       **out,
             GError     **error)
{
  JsonNode *node = get_member (object, name);
  const char *str;

  g_clear_pointer (out, g_free);

  if (node == NULL)
    return TRUE;

  if (!node_holds (node, G_TYPE_STRING))
    return set_member_error (error, prefix, name, "must be a string or null");

  str = json_node_get_string (node);
  if (!g_utf8_validate (str, -1, NULL))
    return set_member_error (error, prefix, name, "is not valid UTF-8");

  *out = g_strdup (str);

  return TRUE;
}

/* Required enumeration word, returned borrowed. */
static gboolean
read_word (JsonObject  *object,
           const char  *prefix,
           const char  *name,
           const char **out,
           GError     **error)
{
  JsonNode *node = get_member (object, name);

  if (node == NULL)
    return set_member_error (error, prefix, name, "is required");

  if (!node_holds (node, G_TYPE_STRING))
    return set_member_error (error, prefix, name, "must be a string");

  *out = json_node_get_string (node);

  return TRUE;
}

#define READ_ENUM(object, prefix, name, parse, out, error)                     \
  G_STMT_START {                                                               \
    const char *word_;                                                         \
    if (!read_word ((object), (prefix), (name), &word_, (error)))              \
      return FALSE;                                                            \
    if (!parse (word_, (out)))                                                 \
      return set_member_error ((error), (prefix), (name), "has an unknown value"); \
  } G_STMT_END

static gboolean
read_int (JsonObject *object,
          const char *prefix,
          const char *name,
          gboolean    required,
          gint64      min,
          gint64      max,
          gint64     *out,
          GError    **error)
{
  JsonNode *node = get_member (object, name);
  gint64 value;

  *out = 0;

  if (node == NULL)
    {
      if (required)
        return set_member_error (error, prefix, name, "is required");
      return TRUE;
    }

  if (!node_holds (node, G_TYPE_INT64))
    return set_member_error (error, prefix, name, "must be an integer");

  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      g_autofree char *field = field_name (prefix, name);

      kefu_set_field_error (error, field,
                            "%s must be %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                            field, min, max);
      return FALSE;
    }

  *out = value;

  return TRUE;
}

static gboolean
read_bool (JsonObject *object,
           const char *prefix,
           const char *name,
           gboolean   *out,
           GError    **error)
{
  JsonNode *node = get_member (object, name);

  *out = FALSE;

  if (node == NULL)
    return TRUE;

  if (!node_holds (node, G_TYPE_BOOLEAN))
    return set_member_error (error, prefix, name, "must be true or false");

  *out = json_node_get_boolean (node);

  return TRUE;
}

/* Optional time: missing or null → 0. */
static gboolean
read_time (JsonObject *object,
           const char *prefix,
           const char *name,
           gint64     *out,
           GError    **error)
{
  JsonNode *node = get_member (object, name);

  *out = 0;

  if (node == NULL)
    return TRUE;

  if (!node_holds (node, G_TYPE_STRING) ||
      !kefu_time_from_iso8601 (json_node_get_string (node), out))
    return set_member_error (error, prefix, name, "must be an RFC 3339 time or null");

  return TRUE;
}

/* Optional object: missing or null → NULL (borrowed). */
static gboolean
read_object (JsonObject  *object,
             const char  *prefix,
             const char  *name,
             JsonObject **out,
             GError     **error)
{
  JsonNode *node = get_member (object, name);

  *out = NULL;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return set_member_error (error, prefix, name, "must be an object or null");

  *out = json_node_get_object (node);

  return TRUE;
}

static gboolean
read_user_ref (JsonObject  *object,
               const char  *prefix,
               const char  *name,
               KefuUserRef *out,
               GError     **error)
{
  g_autofree char *field = field_name (prefix, name);
  JsonObject *ref;
  gint64 id;

  kefu_user_ref_clear (out);

  if (!read_object (object, prefix, name, &ref, error))
    return FALSE;
  if (ref == NULL)
    return TRUE;

  if (!read_int (ref, field, "id", TRUE, 0, G_MAXINT64, &id, error) ||
      !read_string (ref, field, "display_name", &out->display_name, error))
    return FALSE;

  out->id = id;

  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Writing JSON                                                                               */

static void
set_string_or_null (JsonObject *object,
                    const char *name,
                    const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static void
set_time (JsonObject *object,
          const char *name,
          gint64      usec)
{
  g_autofree char *str = kefu_time_to_iso8601 (usec);

  set_string_or_null (object, name, str);
}

static void
set_user_ref (JsonObject        *object,
              const char        *name,
              const KefuUserRef *ref)
{
  JsonObject *value;

  if (ref->id == 0)
    {
      json_object_set_null_member (object, name);
      return;
    }

  value = json_object_new ();
  json_object_set_int_member (value, "id", ref->id);
  set_string_or_null (value, "display_name", ref->display_name);
  json_object_set_object_member (object, name, value);
}

static void
set_word (JsonObject *object,
          const char *name,
          const char *word)
{
  /* An out-of-range enum value has no word; it goes out as null and fails to parse back. */
  set_string_or_null (object, name, word);
}

/* ------------------------------------------------------------------------------------------ */
/* Events                                                                                     */

KefuTicketEvent *
kefu_ticket_event_new (KefuEventKind kind,
                       gint64        at)
{
  KefuTicketEvent *event = g_new0 (KefuTicketEvent, 1);

  event->kind = kind;
  event->at = at;

  return event;
}

KefuTicketEvent *
kefu_ticket_event_copy (const KefuTicketEvent *event)
{
  KefuTicketEvent *copy;

  g_return_val_if_fail (event != NULL, NULL);

  copy = kefu_ticket_event_new (event->kind, event->at);
  copy->id = event->id;
  kefu_user_ref_set (&copy->actor, event->actor.id, event->actor.display_name);
  copy->text = g_strdup (event->text);
  if (event->data != NULL)
    copy->data = json_object_deep_copy (event->data);

  return copy;
}

void
kefu_ticket_event_free (KefuTicketEvent *event)
{
  if (event == NULL)
    return;

  kefu_user_ref_clear (&event->actor);
  g_free (event->text);
  g_clear_pointer (&event->data, json_object_unref);
  g_free (event);
}

static gboolean
event_equal (const KefuTicketEvent *a,
             const KefuTicketEvent *b)
{
  return a->id == b->id &&
         a->kind == b->kind &&
         time_equal (a->at, b->at) &&
         user_ref_equal (&a->actor, &b->actor) &&
         g_strcmp0 (a->text, b->text) == 0 &&
         json_object_equal_nullable (a->data, b->data);
}

JsonNode *
kefu_ticket_event_to_json (const KefuTicketEvent *event)
{
  JsonObject *object;

  g_return_val_if_fail (event != NULL, NULL);

  object = json_object_new ();
  json_object_set_int_member (object, "id", event->id);
  set_word (object, "kind", kefu_event_kind_to_string (event->kind));
  set_time (object, "at", event->at);
  set_user_ref (object, "actor", &event->actor);
  set_string_or_null (object, "text", event->text);
  if (event->data != NULL)
    json_object_set_object_member (object, "data", json_object_deep_copy (event->data));
  else
    json_object_set_null_member (object, "data");

  return take_object (object);
}

static gboolean
event_from_object (JsonObject      *object,
                   const char      *prefix,
                   KefuTicketEvent *event,
                   GError         **error)
{
  JsonObject *data;

  if (!read_int (object, prefix, "id", FALSE, 0, G_MAXINT64, &event->id, error))
    return FALSE;
  READ_ENUM (object, prefix, "kind", kefu_event_kind_from_string, &event->kind, error);
  if (!read_time (object, prefix, "at", &event->at, error) ||
      !read_user_ref (object, prefix, "actor", &event->actor, error) ||
      !read_string (object, prefix, "text", &event->text, error) ||
      !read_object (object, prefix, "data", &data, error))
    return FALSE;

  if (data != NULL)
    event->data = json_object_deep_copy (data);

  return TRUE;
}

KefuTicketEvent *
kefu_ticket_event_from_json (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(KefuTicketEvent) event = NULL;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON, "event must be a JSON object");
      return NULL;
    }

  event = kefu_ticket_event_new (KEFU_EVENT_NOTE, 0);
  if (!event_from_object (json_node_get_object (node), NULL, event, error))
    return NULL;

  return g_steal_pointer (&event);
}

/* ------------------------------------------------------------------------------------------ */
/* Attachments, field visits and returns                                                      */

/* Reads an optional array member into @out (borrowed; NULL when missing or null). */
static gboolean
read_array (JsonObject  *object,
            const char  *prefix,
            const char  *name,
            JsonArray  **out,
            GError     **error)
{
  JsonNode *node = get_member (object, name);

  *out = NULL;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return set_member_error (error, prefix, name, "must be an array");

  *out = json_node_get_array (node);

  return TRUE;
}

KefuAttachment *
kefu_attachment_new (void)
{
  return g_new0 (KefuAttachment, 1);
}

KefuAttachment *
kefu_attachment_copy (const KefuAttachment *attachment)
{
  KefuAttachment *copy;

  g_return_val_if_fail (attachment != NULL, NULL);

  copy = kefu_attachment_new ();
  copy->id = attachment->id;
  copy->name = g_strdup (attachment->name);
  copy->content_type = g_strdup (attachment->content_type);
  copy->size = attachment->size;
  copy->uploaded_at = attachment->uploaded_at;
  kefu_user_ref_set (&copy->uploaded_by, attachment->uploaded_by.id,
                     attachment->uploaded_by.display_name);

  return copy;
}

void
kefu_attachment_free (KefuAttachment *attachment)
{
  if (attachment == NULL)
    return;

  g_free (attachment->name);
  g_free (attachment->content_type);
  kefu_user_ref_clear (&attachment->uploaded_by);
  g_free (attachment);
}

static gboolean
attachment_equal (const KefuAttachment *a,
                  const KefuAttachment *b)
{
  return a->id == b->id &&
         g_strcmp0 (a->name, b->name) == 0 &&
         g_strcmp0 (a->content_type, b->content_type) == 0 &&
         a->size == b->size &&
         time_equal (a->uploaded_at, b->uploaded_at) &&
         user_ref_equal (&a->uploaded_by, &b->uploaded_by);
}

JsonNode *
kefu_attachment_to_json (const KefuAttachment *attachment)
{
  JsonObject *object;

  g_return_val_if_fail (attachment != NULL, NULL);

  object = json_object_new ();
  json_object_set_int_member (object, "id", attachment->id);
  set_string_or_null (object, "name", attachment->name);
  set_string_or_null (object, "content_type", attachment->content_type);
  json_object_set_int_member (object, "size", attachment->size);
  set_time (object, "uploaded_at", attachment->uploaded_at);
  set_user_ref (object, "uploaded_by", &attachment->uploaded_by);

  return take_object (object);
}

static gboolean
attachment_from_object (JsonObject     *object,
                        const char     *prefix,
                        KefuAttachment *attachment,
                        GError        **error)
{
  return read_int (object, prefix, "id", TRUE, 0, G_MAXINT64, &attachment->id, error) &&
         read_string (object, prefix, "name", &attachment->name, error) &&
         read_string (object, prefix, "content_type", &attachment->content_type, error) &&
         read_int (object, prefix, "size", FALSE, 0, G_MAXINT64, &attachment->size, error) &&
         read_time (object, prefix, "uploaded_at", &attachment->uploaded_at, error) &&
         read_user_ref (object, prefix, "uploaded_by", &attachment->uploaded_by, error);
}

KefuAttachment *
kefu_attachment_from_json (JsonNode  *node,
                           GError   **error)
{
  g_autoptr(KefuAttachment) attachment = NULL;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON,
                           "attachment must be a JSON object");
      return NULL;
    }

  attachment = kefu_attachment_new ();
  if (!attachment_from_object (json_node_get_object (node), NULL, attachment, error))
    return NULL;

  return g_steal_pointer (&attachment);
}

KefuVisitReschedule *
kefu_visit_reschedule_new (gint64      at,
                           gint64      from,
                           gint64      to,
                           const char *reason)
{
  KefuVisitReschedule *reschedule = g_new0 (KefuVisitReschedule, 1);

  reschedule->at = at;
  reschedule->from = from;
  reschedule->to = to;
  reschedule->reason = g_strdup (reason);

  return reschedule;
}

void
kefu_visit_reschedule_free (KefuVisitReschedule *reschedule)
{
  if (reschedule == NULL)
    return;

  g_free (reschedule->reason);
  g_free (reschedule);
}

KefuVisit *
kefu_visit_new (void)
{
  KefuVisit *visit = g_new0 (KefuVisit, 1);

  visit->status = KEFU_VISIT_STATUS_SCHEDULED;
  visit->warranty = KEFU_WARRANTY_OUT;
  visit->reschedules = g_ptr_array_new_with_free_func ((GDestroyNotify) kefu_visit_reschedule_free);

  return visit;
}

KefuVisit *
kefu_visit_copy (const KefuVisit *visit)
{
  KefuVisit *copy;

  g_return_val_if_fail (visit != NULL, NULL);

  copy = kefu_visit_new ();
  copy->id = visit->id;
  copy->status = visit->status;
  copy->scheduled_at = visit->scheduled_at;
  copy->address = g_strdup (visit->address);
  kefu_user_ref_set (&copy->technician, visit->technician.id, visit->technician.display_name);
  copy->parts = g_strdup (visit->parts);
  copy->warranty = visit->warranty;
  copy->warranty_until = g_strdup (visit->warranty_until);
  copy->fee_cents = visit->fee_cents;
  copy->arrived_at = visit->arrived_at;
  copy->done_at = visit->done_at;
  copy->outcome = g_strdup (visit->outcome);
  for (guint i = 0; i < visit->reschedules->len; i++)
    {
      const KefuVisitReschedule *r = g_ptr_array_index (visit->reschedules, i);

      g_ptr_array_add (copy->reschedules,
                       kefu_visit_reschedule_new (r->at, r->from, r->to, r->reason));
    }

  return copy;
}

void
kefu_visit_free (KefuVisit *visit)
{
  if (visit == NULL)
    return;

  g_free (visit->address);
  kefu_user_ref_clear (&visit->technician);
  g_free (visit->parts);
  g_free (visit->warranty_until);
  g_free (visit->outcome);
  g_clear_pointer (&visit->reschedules, g_ptr_array_unref);
  g_free (visit);
}

static gboolean
visit_equal (const KefuVisit *a,
             const KefuVisit *b)
{
  if (a->id != b->id ||
      a->status != b->status ||
      !time_equal (a->scheduled_at, b->scheduled_at) ||
      g_strcmp0 (a->address, b->address) != 0 ||
      !user_ref_equal (&a->technician, &b->technician) ||
      g_strcmp0 (a->parts, b->parts) != 0 ||
      a->warranty != b->warranty ||
      g_strcmp0 (a->warranty_until, b->warranty_until) != 0 ||
      a->fee_cents != b->fee_cents ||
      !time_equal (a->arrived_at, b->arrived_at) ||
      !time_equal (a->done_at, b->done_at) ||
      g_strcmp0 (a->outcome, b->outcome) != 0 ||
      a->reschedules->len != b->reschedules->len)
    return FALSE;

  for (guint i = 0; i < a->reschedules->len; i++)
    {
      const KefuVisitReschedule *ra = g_ptr_array_index (a->reschedules, i);
      const KefuVisitReschedule *rb = g_ptr_array_index (b->reschedules, i);

      if (!time_equal (ra->at, rb->at) ||
          !time_equal (ra->from, rb->from) ||
          !time_equal (ra->to, rb->to) ||
          g_strcmp0 (ra->reason, rb->reason) != 0)
        return FALSE;
    }

  return TRUE;
}

JsonNode *
kefu_visit_to_json (const KefuVisit *visit)
{
  JsonObject *object;
  JsonArray *reschedules;

  g_return_val_if_fail (visit != NULL, NULL);

  object = json_object_new ();
  json_object_set_int_member (object, "id", visit->id);
  set_word (object, "status", kefu_visit_status_to_string (visit->status));
  set_time (object, "scheduled_at", visit->scheduled_at);
  set_string_or_null (object, "address", visit->address);
  set_user_ref (object, "technician", &visit->technician);
  set_string_or_null (object, "parts", visit->parts);
  set_word (object, "warranty", kefu_warranty_to_string (visit->warranty));
  set_string_or_null (object, "warranty_until", visit->warranty_until);
  json_object_set_int_member (object, "fee_cents", visit->fee_cents);
  set_time (object, "arrived_at", visit->arrived_at);
  set_time (object, "done_at", visit->done_at);
  set_string_or_null (object, "outcome", visit->outcome);

  reschedules = json_array_sized_new (visit->reschedules->len);
  for (guint i = 0; i < visit->reschedules->len; i++)
    {
      const KefuVisitReschedule *r = g_ptr_array_index (visit->reschedules, i);
      JsonObject *entry = json_object_new ();

      set_time (entry, "at", r->at);
      set_time (entry, "from", r->from);
      set_time (entry, "to", r->to);
      set_string_or_null (entry, "reason", r->reason);
      json_array_add_object_element (reschedules, entry);
    }
  json_object_set_array_member (object, "reschedules", reschedules);

  return take_object (object);
}

static gboolean
visit_from_object (JsonObject  *object,
                   const char  *prefix,
                   KefuVisit   *visit,
                   GError     **error)
{
  JsonArray *reschedules;

  if (!read_int (object, prefix, "id", TRUE, 0, G_MAXINT64, &visit->id, error))
    return FALSE;
  READ_ENUM (object, prefix, "status", kefu_visit_status_from_string, &visit->status, error);
  if (!read_time (object, prefix, "scheduled_at", &visit->scheduled_at, error) ||
      !read_string (object, prefix, "address", &visit->address, error) ||
      !read_user_ref (object, prefix, "technician", &visit->technician, error) ||
      !read_string (object, prefix, "parts", &visit->parts, error))
    return FALSE;
  READ_ENUM (object, prefix, "warranty", kefu_warranty_from_string, &visit->warranty, error);
  if (!read_string (object, prefix, "warranty_until", &visit->warranty_until, error) ||
      !read_int (object, prefix, "fee_cents", FALSE, 0, G_MAXINT64, &visit->fee_cents, error) ||
      !read_time (object, prefix, "arrived_at", &visit->arrived_at, error) ||
      !read_time (object, prefix, "done_at", &visit->done_at, error) ||
      !read_string (object, prefix, "outcome", &visit->outcome, error) ||
      !read_array (object, prefix, "reschedules", &reschedules, error))
    return FALSE;

  g_ptr_array_set_size (visit->reschedules, 0);
  for (guint i = 0; reschedules != NULL && i < json_array_get_length (reschedules); i++)
    {
      JsonNode *element = json_array_get_element (reschedules, i);
      g_autofree char *name = g_strdup_printf ("reschedules[%u]", i);
      g_autofree char *field = field_name (prefix, name);
      KefuVisitReschedule *r;
      JsonObject *entry;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return set_member_error (error, prefix, name, "must be an object");
      entry = json_node_get_object (element);

      r = kefu_visit_reschedule_new (0, 0, 0, NULL);
      g_ptr_array_add (visit->reschedules, r);
      if (!read_time (entry, field, "at", &r->at, error) ||
          !read_time (entry, field, "from", &r->from, error) ||
          !read_time (entry, field, "to", &r->to, error) ||
          !read_string (entry, field, "reason", &r->reason, error))
        return FALSE;
    }

  return TRUE;
}

KefuVisit *
kefu_visit_from_json (JsonNode  *node,
                      GError   **error)
{
  g_autoptr(KefuVisit) visit = NULL;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON, "visit must be a JSON object");
      return NULL;
    }

  visit = kefu_visit_new ();
  if (!visit_from_object (json_node_get_object (node), NULL, visit, error))
    return NULL;

  return g_steal_pointer (&visit);
}

KefuReturnStepEntry *
kefu_return_step_entry_new (KefuReturnStep  step,
                            gint64          at,
                            gint64          by_id,
                            const char     *by_name,
                            const char     *note)
{
  KefuReturnStepEntry *entry = g_new0 (KefuReturnStepEntry, 1);

  entry->step = step;
  entry->at = at;
  kefu_user_ref_set (&entry->by, by_id, by_name);
  entry->note = g_strdup (note);

  return entry;
}

void
kefu_return_step_entry_free (KefuReturnStepEntry *entry)
{
  if (entry == NULL)
    return;

  kefu_user_ref_clear (&entry->by);
  g_free (entry->note);
  g_free (entry);
}

KefuReturn *
kefu_return_new (void)
{
  KefuReturn *ret = g_new0 (KefuReturn, 1);

  ret->type = KEFU_RETURN_TYPE_RETURN_REFUND;
  ret->reason = KEFU_RETURN_REASON_QUALITY;
  ret->step = KEFU_RETURN_STEP_REQUESTED;
  ret->attachment_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  ret->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) kefu_return_step_entry_free);

  return ret;
}

KefuReturn *
kefu_return_copy (const KefuReturn *ret)
{
  KefuReturn *copy;

  g_return_val_if_fail (ret != NULL, NULL);

  copy = kefu_return_new ();
  copy->id = ret->id;
  copy->type = ret->type;
  copy->reason = ret->reason;
  copy->step = ret->step;
  copy->amount_cents = ret->amount_cents;
  g_array_append_vals (copy->attachment_ids, ret->attachment_ids->data,
                       ret->attachment_ids->len);
  copy->review_due = ret->review_due;
  copy->pickup_due = ret->pickup_due;
  for (guint i = 0; i < ret->steps->len; i++)
    {
      const KefuReturnStepEntry *e = g_ptr_array_index (ret->steps, i);

      g_ptr_array_add (copy->steps, kefu_return_step_entry_new (e->step, e->at, e->by.id,
                                                                e->by.display_name, e->note));
    }

  return copy;
}

void
kefu_return_free (KefuReturn *ret)
{
  if (ret == NULL)
    return;

  g_clear_pointer (&ret->attachment_ids, g_array_unref);
  g_clear_pointer (&ret->steps, g_ptr_array_unref);
  g_free (ret);
}

static gboolean
return_equal (const KefuReturn *a,
              const KefuReturn *b)
{
  if (a->id != b->id ||
      a->type != b->type ||
      a->reason != b->reason ||
      a->step != b->step ||
      a->amount_cents != b->amount_cents ||
      !time_equal (a->review_due, b->review_due) ||
      !time_equal (a->pickup_due, b->pickup_due) ||
      a->attachment_ids->len != b->attachment_ids->len ||
      a->steps->len != b->steps->len)
    return FALSE;

  for (guint i = 0; i < a->attachment_ids->len; i++)
    {
      if (g_array_index (a->attachment_ids, gint64, i) !=
          g_array_index (b->attachment_ids, gint64, i))
        return FALSE;
    }

  for (guint i = 0; i < a->steps->len; i++)
    {
      const KefuReturnStepEntry *ea = g_ptr_array_index (a->steps, i);
      const KefuReturnStepEntry *eb = g_ptr_array_index (b->steps, i);

      if (ea->step != eb->step ||
          !time_equal (ea->at, eb->at) ||
          !user_ref_equal (&ea->by, &eb->by) ||
          g_strcmp0 (ea->note, eb->note) != 0)
        return FALSE;
    }

  return TRUE;
}

JsonNode *
kefu_return_to_json (const KefuReturn *ret)
{
  JsonObject *object;
  JsonArray *ids, *steps;

  g_return_val_if_fail (ret != NULL, NULL);

  object = json_object_new ();
  json_object_set_int_member (object, "id", ret->id);
  set_word (object, "type", kefu_return_type_to_string (ret->type));
  set_word (object, "reason", kefu_return_reason_to_string (ret->reason));
  set_word (object, "step", kefu_return_step_to_string (ret->step));
  json_object_set_int_member (object, "amount_cents", ret->amount_cents);

  ids = json_array_sized_new (ret->attachment_ids->len);
  for (guint i = 0; i < ret->attachment_ids->len; i++)
    json_array_add_int_element (ids, g_array_index (ret->attachment_ids, gint64, i));
  json_object_set_array_member (object, "attachment_ids", ids);

  set_time (object, "review_due", ret->review_due);
  set_time (object, "pickup_due", ret->pickup_due);

  steps = json_array_sized_new (ret->steps->len);
  for (guint i = 0; i < ret->steps->len; i++)
    {
      const KefuReturnStepEntry *e = g_ptr_array_index (ret->steps, i);
      JsonObject *entry = json_object_new ();

      set_word (entry, "step", kefu_return_step_to_string (e->step));
      set_time (entry, "at", e->at);
      set_user_ref (entry, "by", &e->by);
      set_string_or_null (entry, "note", e->note);
      json_array_add_object_element (steps, entry);
    }
  json_object_set_array_member (object, "steps", steps);

  return take_object (object);
}

static gboolean
return_from_object (JsonObject  *object,
                    const char  *prefix,
                    KefuReturn  *ret,
                    GError     **error)
{
  JsonArray *ids, *steps;

  if (!read_int (object, prefix, "id", TRUE, 0, G_MAXINT64, &ret->id, error))
    return FALSE;
  READ_ENUM (object, prefix, "type", kefu_return_type_from_string, &ret->type, error);
  READ_ENUM (object, prefix, "reason", kefu_return_reason_from_string, &ret->reason, error);
  READ_ENUM (object, prefix, "step", kefu_return_step_from_string, &ret->step, error);
  if (!read_int (object, prefix, "amount_cents", FALSE, 0, G_MAXINT64, &ret->amount_cents,
                 error) ||
      !read_array (object, prefix, "attachment_ids", &ids, error) ||
      !read_time (object, prefix, "review_due", &ret->review_due, error) ||
      !read_time (object, prefix, "pickup_due", &ret->pickup_due, error) ||
      !read_array (object, prefix, "steps", &steps, error))
    return FALSE;

  g_array_set_size (ret->attachment_ids, 0);
  for (guint i = 0; ids != NULL && i < json_array_get_length (ids); i++)
    {
      JsonNode *element = json_array_get_element (ids, i);
      gint64 id;

      if (!node_holds (element, G_TYPE_INT64))
        return set_member_error (error, prefix, "attachment_ids", "must be an array of ids");
      id = json_node_get_int (element);
      g_array_append_val (ret->attachment_ids, id);
    }

  g_ptr_array_set_size (ret->steps, 0);
  for (guint i = 0; steps != NULL && i < json_array_get_length (steps); i++)
    {
      JsonNode *element = json_array_get_element (steps, i);
      g_autofree char *name = g_strdup_printf ("steps[%u]", i);
      g_autofree char *field = field_name (prefix, name);
      KefuReturnStepEntry *e;
      JsonObject *entry;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return set_member_error (error, prefix, name, "must be an object");
      entry = json_node_get_object (element);

      e = kefu_return_step_entry_new (KEFU_RETURN_STEP_REQUESTED, 0, 0, NULL, NULL);
      g_ptr_array_add (ret->steps, e);
      READ_ENUM (entry, field, "step", kefu_return_step_from_string, &e->step, error);
      if (!read_time (entry, field, "at", &e->at, error) ||
          !read_user_ref (entry, field, "by", &e->by, error) ||
          !read_string (entry, field, "note", &e->note, error))
        return FALSE;
    }

  return TRUE;
}

KefuReturn *
kefu_return_from_json (JsonNode  *node,
                       GError   **error)
{
  g_autoptr(KefuReturn) ret = NULL;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON, "return must be a JSON object");
      return NULL;
    }

  ret = kefu_return_new ();
  if (!return_from_object (json_node_get_object (node), NULL, ret, error))
    return NULL;

  return g_steal_pointer (&ret);
}

/* The three arrays of the ticket share their encoding, decoding and comparison. */
typedef JsonNode *(*ItemToJson)  (gconstpointer item);
typedef gboolean  (*ItemEqual)   (gconstpointer a,
                                  gconstpointer b);
typedef gpointer  (*ItemCopy)    (gconstpointer item);

static JsonArray *
items_to_json (GPtrArray  *items,
               ItemToJson  to_json)
{
  JsonArray *array = json_array_sized_new (items->len);

  for (guint i = 0; i < items->len; i++)
    json_array_add_element (array, to_json (g_ptr_array_index (items, i)));

  return array;
}

static gboolean
items_equal (GPtrArray *a,
             GPtrArray *b,
             ItemEqual  equal)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    {
      if (!equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
        return FALSE;
    }

  return TRUE;
}

static void
items_copy (GPtrArray *src,
            GPtrArray *dest,
            ItemCopy   copy)
{
  for (guint i = 0; i < src->len; i++)
    g_ptr_array_add (dest, copy (g_ptr_array_index (src, i)));
}

static gboolean
attachments_from_json (JsonObject  *object,
                       GPtrArray   *out,
                       GError     **error)
{
  JsonArray *array;

  g_ptr_array_set_size (out, 0);
  if (!read_array (object, NULL, "attachments", &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *prefix = g_strdup_printf ("attachments[%u]", i);
      KefuAttachment *item;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return set_member_error (error, NULL, prefix, "must be an object");
      item = kefu_attachment_new ();
      g_ptr_array_add (out, item);
      if (!attachment_from_object (json_node_get_object (element), prefix, item, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
visits_from_json (JsonObject  *object,
                  GPtrArray   *out,
                  GError     **error)
{
  JsonArray *array;

  g_ptr_array_set_size (out, 0);
  if (!read_array (object, NULL, "visits", &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *prefix = g_strdup_printf ("visits[%u]", i);
      KefuVisit *item;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return set_member_error (error, NULL, prefix, "must be an object");
      item = kefu_visit_new ();
      g_ptr_array_add (out, item);
      if (!visit_from_object (json_node_get_object (element), prefix, item, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
returns_from_json (JsonObject  *object,
                   GPtrArray   *out,
                   GError     **error)
{
  JsonArray *array;

  g_ptr_array_set_size (out, 0);
  if (!read_array (object, NULL, "returns", &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *prefix = g_strdup_printf ("returns[%u]", i);
      KefuReturn *item;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return set_member_error (error, NULL, prefix, "must be an object");
      item = kefu_return_new ();
      g_ptr_array_add (out, item);
      if (!return_from_object (json_node_get_object (element), prefix, item, error))
        return FALSE;
    }

  return TRUE;
}

KefuAttachment *
kefu_ticket_find_attachment (const KefuTicket *ticket,
                             gint64            id)
{
  g_return_val_if_fail (ticket != NULL, NULL);

  for (guint i = 0; i < ticket->attachments->len; i++)
    {
      KefuAttachment *item = g_ptr_array_index (ticket->attachments, i);

      if (item->id == id)
        return item;
    }

  return NULL;
}

KefuVisit *
kefu_ticket_find_visit (const KefuTicket *ticket,
                        gint64            id)
{
  g_return_val_if_fail (ticket != NULL, NULL);

  for (guint i = 0; i < ticket->visits->len; i++)
    {
      KefuVisit *item = g_ptr_array_index (ticket->visits, i);

      if (item->id == id)
        return item;
    }

  return NULL;
}

KefuReturn *
kefu_ticket_find_return (const KefuTicket *ticket,
                         gint64            id)
{
  g_return_val_if_fail (ticket != NULL, NULL);

  for (guint i = 0; i < ticket->returns->len; i++)
    {
      KefuReturn *item = g_ptr_array_index (ticket->returns, i);

      if (item->id == id)
        return item;
    }

  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* The ticket                                                                                 */

KefuTicket *
kefu_ticket_new (void)
{
  KefuTicket *ticket = g_new0 (KefuTicket, 1);

  ticket->ref_count = 1;
  ticket->channel = KEFU_CHANNEL_PHONE;
  ticket->stage = KEFU_STAGE_AFTER_SALE;
  ticket->category = KEFU_CATEGORY_QUALITY;
  ticket->priority = KEFU_PRIORITY_P3;
  ticket->status = KEFU_STATUS_NEW;
  ticket->supporting_departments = g_new0 (char *, 1);
  ticket->sla.state = KEFU_SLA_STATE_OK;
  ticket->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) kefu_attachment_free);
  ticket->visits = g_ptr_array_new_with_free_func ((GDestroyNotify) kefu_visit_free);
  ticket->returns = g_ptr_array_new_with_free_func ((GDestroyNotify) kefu_return_free);

  return ticket;
}

KefuTicket *
kefu_ticket_ref (KefuTicket *ticket)
{
  g_return_val_if_fail (ticket != NULL, NULL);
  g_return_val_if_fail (ticket->ref_count > 0, NULL);

  g_atomic_int_inc (&ticket->ref_count);

  return ticket;
}

void
kefu_ticket_unref (KefuTicket *ticket)
{
  g_return_if_fail (ticket != NULL);
  g_return_if_fail (ticket->ref_count > 0);

  if (!g_atomic_int_dec_and_test (&ticket->ref_count))
    return;

  g_free (ticket->number);
  g_free (ticket->subcategory);
  kefu_customer_clear (&ticket->customer);
  g_free (ticket->description);
  kefu_user_ref_clear (&ticket->registered_by);
  kefu_user_ref_clear (&ticket->assignee);
  g_free (ticket->department);
  g_strfreev (ticket->supporting_departments);
  resolution_free (ticket->resolution);
  confirmation_free (ticket->confirmation);
  g_clear_pointer (&ticket->events, g_ptr_array_unref);
  g_clear_pointer (&ticket->attachments, g_ptr_array_unref);
  g_clear_pointer (&ticket->visits, g_ptr_array_unref);
  g_clear_pointer (&ticket->returns, g_ptr_array_unref);
  g_free (ticket);
}

static GPtrArray *
event_array_new (guint reserved)
{
  return g_ptr_array_new_full (reserved, (GDestroyNotify) kefu_ticket_event_free);
}

KefuTicket *
kefu_ticket_copy (const KefuTicket *ticket)
{
  KefuTicket *copy;

  g_return_val_if_fail (ticket != NULL, NULL);

  copy = kefu_ticket_new ();
  copy->id = ticket->id;
  copy->number = g_strdup (ticket->number);
  copy->version = ticket->version;
  copy->channel = ticket->channel;
  copy->stage = ticket->stage;
  copy->category = ticket->category;
  copy->subcategory = g_strdup (ticket->subcategory);
  copy->priority = ticket->priority;
  copy->status = ticket->status;
  customer_copy (&ticket->customer, &copy->customer);
  copy->description = g_strdup (ticket->description);
  copy->submitted_at = ticket->submitted_at;
  copy->registered_at = ticket->registered_at;
  kefu_user_ref_set (&copy->registered_by, ticket->registered_by.id,
                     ticket->registered_by.display_name);
  kefu_user_ref_set (&copy->assignee, ticket->assignee.id, ticket->assignee.display_name);
  copy->department = g_strdup (ticket->department);
  if (ticket->supporting_departments != NULL)
    {
      g_strfreev (copy->supporting_departments);
      copy->supporting_departments = g_strdupv (ticket->supporting_departments);
    }
  copy->sla = ticket->sla;
  copy->escalation_level = ticket->escalation_level;
  copy->resolution = resolution_copy (ticket->resolution);
  copy->confirmation = confirmation_copy (ticket->confirmation);
  copy->updated_at = ticket->updated_at;
  items_copy (ticket->attachments, copy->attachments, (ItemCopy) kefu_attachment_copy);
  items_copy (ticket->visits, copy->visits, (ItemCopy) kefu_visit_copy);
  items_copy (ticket->returns, copy->returns, (ItemCopy) kefu_return_copy);

  copy->timeline_total = ticket->timeline_total;
  if (ticket->events != NULL)
    {
      copy->events = event_array_new (ticket->events->len);
      for (guint i = 0; i < ticket->events->len; i++)
        {
          const KefuTicketEvent *event = g_ptr_array_index (ticket->events, i);

          g_ptr_array_add (copy->events, kefu_ticket_event_copy (event));
        }
    }

  return copy;
}

gint64
kefu_ticket_timeline_total (const KefuTicket *ticket)
{
  g_return_val_if_fail (ticket != NULL, 0);

  if (ticket->events != NULL && (gint64) ticket->events->len > ticket->timeline_total)
    return ticket->events->len;
  return ticket->timeline_total;
}

gboolean
kefu_ticket_equal (const KefuTicket *a,
                   const KefuTicket *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a == b)
    return TRUE;

  if (g_strcmp0 (a->number, b->number) != 0 ||
      a->version != b->version ||
      a->channel != b->channel ||
      a->stage != b->stage ||
      a->category != b->category ||
      g_strcmp0 (a->subcategory, b->subcategory) != 0 ||
      a->priority != b->priority ||
      a->status != b->status ||
      !customer_equal (&a->customer, &b->customer) ||
      g_strcmp0 (a->description, b->description) != 0 ||
      !time_equal (a->submitted_at, b->submitted_at) ||
      !time_equal (a->registered_at, b->registered_at) ||
      !user_ref_equal (&a->registered_by, &b->registered_by) ||
      !user_ref_equal (&a->assignee, &b->assignee) ||
      g_strcmp0 (a->department, b->department) != 0 ||
      !strv_equal ((const char * const *) a->supporting_departments,
                   (const char * const *) b->supporting_departments) ||
      !sla_equal (&a->sla, &b->sla) ||
      a->escalation_level != b->escalation_level ||
      !resolution_equal (a->resolution, b->resolution) ||
      !confirmation_equal (a->confirmation, b->confirmation) ||
      !time_equal (a->updated_at, b->updated_at) ||
      !items_equal (a->attachments, b->attachments, (ItemEqual) attachment_equal) ||
      !items_equal (a->visits, b->visits, (ItemEqual) visit_equal) ||
      !items_equal (a->returns, b->returns, (ItemEqual) return_equal))
    return FALSE;

  if (a->events == NULL || b->events == NULL)
    return a->events == b->events;

  if (a->events->len != b->events->len ||
      kefu_ticket_timeline_total (a) != kefu_ticket_timeline_total (b))
    return FALSE;

  for (guint i = 0; i < a->events->len; i++)
    {
      if (!event_equal (g_ptr_array_index (a->events, i), g_ptr_array_index (b->events, i)))
        return FALSE;
    }

  return TRUE;
}

static JsonObject *
customer_to_json (const KefuCustomer  *customer,
                  KefuTicketJsonFlags  flags)
{
  JsonObject *object = json_object_new ();

  set_string_or_null (object, "name", customer->name);
  if ((flags & KEFU_TICKET_JSON_MASK_PHONE) != 0)
    {
      g_autofree char *masked = kefu_mask_phone (customer->phone);

      set_string_or_null (object, "phone", masked);
    }
  else
    {
      set_string_or_null (object, "phone", customer->phone);
    }
  set_string_or_null (object, "email", customer->email);
  set_string_or_null (object, "code", customer->code);
  set_string_or_null (object, "order_no", customer->order_no);
  set_string_or_null (object, "product_model", customer->product_model);
  set_string_or_null (object, "serial_no", customer->serial_no);
  set_string_or_null (object, "purchase_date", customer->purchase_date);
  set_string_or_null (object, "address", customer->address);

  return object;
}

static JsonObject *
sla_to_json (const KefuTicketSla *sla)
{
  JsonObject *object = json_object_new ();

  set_time (object, "response_due", sla->response_due);
  set_time (object, "resolve_due", sla->resolve_due);
  set_time (object, "accept_due", sla->accept_due);
  set_time (object, "next_update_due", sla->next_update_due);
  set_time (object, "confirm_due", sla->confirm_due);
  set_time (object, "first_response_at", sla->first_response_at);
  set_time (object, "accepted_at", sla->accepted_at);
  set_time (object, "resolved_at", sla->resolved_at);
  set_time (object, "closed_at", sla->closed_at);
  json_object_set_boolean_member (object, "paused", sla->paused);
  set_word (object, "state", kefu_sla_state_to_string (sla->state));
  if (sla->callback_promise_seconds > 0)
    {
      JsonObject *promise = json_object_new ();

      json_object_set_int_member (promise, "seconds", sla->callback_promise_seconds);
      json_object_set_boolean_member (promise, "business", sla->callback_promise_business);
      json_object_set_object_member (object, "callback_promise", promise);
    }
  else
    {
      json_object_set_null_member (object, "callback_promise");
    }
  set_time (object, "callback_due", sla->callback_due);

  return object;
}

JsonNode *
kefu_ticket_to_json (const KefuTicket    *ticket,
                     KefuTicketJsonFlags  flags)
{
  JsonObject *object;
  JsonArray *departments;

  g_return_val_if_fail (ticket != NULL, NULL);

  object = json_object_new ();
  set_string_or_null (object, "number", ticket->number);
  json_object_set_int_member (object, "version", ticket->version);
  set_word (object, "channel", kefu_channel_to_string (ticket->channel));
  set_word (object, "stage", kefu_stage_to_string (ticket->stage));
  set_word (object, "category", kefu_category_to_string (ticket->category));
  set_string_or_null (object, "subcategory", ticket->subcategory);
  json_object_set_int_member (object, "priority", ticket->priority);
  set_word (object, "status", kefu_status_to_string (ticket->status));
  json_object_set_object_member (object, "customer", customer_to_json (&ticket->customer, flags));
  set_string_or_null (object, "description", ticket->description);
  set_time (object, "submitted_at", ticket->submitted_at);
  set_time (object, "registered_at", ticket->registered_at);
  set_user_ref (object, "registered_by", &ticket->registered_by);
  set_user_ref (object, "assignee", &ticket->assignee);
  set_string_or_null (object, "department", ticket->department);

  departments = json_array_new ();
  for (guint i = 0;
       ticket->supporting_departments != NULL && ticket->supporting_departments[i] != NULL;
       i++)
    json_array_add_string_element (departments, ticket->supporting_departments[i]);
  json_object_set_array_member (object, "supporting_departments", departments);

  json_object_set_object_member (object, "sla", sla_to_json (&ticket->sla));
  json_object_set_int_member (object, "escalation_level", ticket->escalation_level);

  if (ticket->resolution != NULL)
    {
      JsonObject *resolution = json_object_new ();

      set_word (resolution, "kind", kefu_resolution_kind_to_string (ticket->resolution->kind));
      set_string_or_null (resolution, "summary", ticket->resolution->summary);
      json_object_set_int_member (resolution, "cost_cents", ticket->resolution->cost_cents);
      json_object_set_int_member (resolution, "minutes_spent", ticket->resolution->minutes_spent);
      json_object_set_object_member (object, "resolution", resolution);
    }
  else
    {
      json_object_set_null_member (object, "resolution");
    }

  if (ticket->confirmation != NULL)
    {
      JsonObject *confirmation = json_object_new ();

      json_object_set_boolean_member (confirmation, "solved", ticket->confirmation->solved);
      json_object_set_int_member (confirmation, "satisfaction",
                                  ticket->confirmation->satisfaction);
      set_string_or_null (confirmation, "comment", ticket->confirmation->comment);
      set_time (confirmation, "confirmed_at", ticket->confirmation->confirmed_at);
      json_object_set_object_member (object, "confirmation", confirmation);
    }
  else
    {
      json_object_set_null_member (object, "confirmation");
    }

  set_time (object, "updated_at", ticket->updated_at);
  json_object_set_array_member (object, "attachments",
                                items_to_json (ticket->attachments,
                                               (ItemToJson) kefu_attachment_to_json));
  json_object_set_array_member (object, "visits",
                                items_to_json (ticket->visits, (ItemToJson) kefu_visit_to_json));
  json_object_set_array_member (object, "returns",
                                items_to_json (ticket->returns, (ItemToJson) kefu_return_to_json));

  if ((flags & KEFU_TICKET_JSON_WITH_EVENTS) != 0 && ticket->events != NULL)
    {
      JsonArray *events = json_array_sized_new (ticket->events->len);

      for (guint i = 0; i < ticket->events->len; i++)
        json_array_add_element (events,
                                kefu_ticket_event_to_json (g_ptr_array_index (ticket->events, i)));
      json_object_set_array_member (object, "events", events);
      json_object_set_int_member (object, "timeline_total", kefu_ticket_timeline_total (ticket));
    }

  return take_object (object);
}

static gboolean
customer_from_json (JsonObject   *object,
                    KefuCustomer *customer,
                    GError      **error)
{
  const char *p = "customer";

  return read_string (object, p, "name", &customer->name, error) &&
         read_string (object, p, "phone", &customer->phone, error) &&
         read_string (object, p, "email", &customer->email, error) &&
         read_string (object, p, "code", &customer->code, error) &&
         read_string (object, p, "order_no", &customer->order_no, error) &&
         read_string (object, p, "product_model", &customer->product_model, error) &&
         read_string (object, p, "serial_no", &customer->serial_no, error) &&
         read_string (object, p, "purchase_date", &customer->purchase_date, error) &&
         read_string (object, p, "address", &customer->address, error);
}

static gboolean
sla_from_json (JsonObject    *object,
               KefuTicketSla *sla,
               GError       **error)
{
  const char *p = "sla";
  JsonNode *state;
  JsonObject *promise;

  if (!read_time (object, p, "response_due", &sla->response_due, error) ||
      !read_time (object, p, "resolve_due", &sla->resolve_due, error) ||
      !read_time (object, p, "accept_due", &sla->accept_due, error) ||
      !read_time (object, p, "next_update_due", &sla->next_update_due, error) ||
      !read_time (object, p, "confirm_due", &sla->confirm_due, error) ||
      !read_time (object, p, "first_response_at", &sla->first_response_at, error) ||
      !read_time (object, p, "accepted_at", &sla->accepted_at, error) ||
      !read_time (object, p, "resolved_at", &sla->resolved_at, error) ||
      !read_time (object, p, "closed_at", &sla->closed_at, error) ||
      !read_bool (object, p, "paused", &sla->paused, error) ||
      !read_time (object, p, "callback_due", &sla->callback_due, error) ||
      !read_object (object, p, "callback_promise", &promise, error))
    return FALSE;

  /* Optional: tickets registered before the promise was kept have none. */
  sla->callback_promise_seconds = 0;
  sla->callback_promise_business = FALSE;
  if (promise != NULL &&
      (!read_int (promise, "sla.callback_promise", "seconds", TRUE, 1, 31536000,
                  &sla->callback_promise_seconds, error) ||
       !read_bool (promise, "sla.callback_promise", "business",
                   &sla->callback_promise_business, error)))
    return FALSE;

  /* The state is optional (defaults to ok) but must be a known word when present. */
  state = get_member (object, "state");
  sla->state = KEFU_SLA_STATE_OK;
  if (state != NULL)
    READ_ENUM (object, p, "state", kefu_sla_state_from_string, &sla->state, error);

  return TRUE;
}

static gboolean
resolution_from_json (JsonObject     *object,
                      KefuResolution *resolution,
                      GError        **error)
{
  const char *p = "resolution";

  READ_ENUM (object, p, "kind", kefu_resolution_kind_from_string, &resolution->kind, error);

  return read_string (object, p, "summary", &resolution->summary, error) &&
         read_int (object, p, "cost_cents", FALSE, G_MININT64, G_MAXINT64,
                   &resolution->cost_cents, error) &&
         read_int (object, p, "minutes_spent", FALSE, G_MININT64, G_MAXINT64,
                   &resolution->minutes_spent, error);
}

static gboolean
confirmation_from_json (JsonObject       *object,
                        KefuConfirmation *confirmation,
                        GError          **error)
{
  const char *p = "confirmation";
  gint64 satisfaction;

  if (!read_bool (object, p, "solved", &confirmation->solved, error) ||
      !read_int (object, p, "satisfaction", TRUE, 1, 5, &satisfaction, error) ||
      !read_string (object, p, "comment", &confirmation->comment, error) ||
      !read_time (object, p, "confirmed_at", &confirmation->confirmed_at, error))
    return FALSE;

  confirmation->satisfaction = (int) satisfaction;

  return TRUE;
}

static gboolean
departments_from_json (JsonObject  *object,
                       GStrv       *out,
                       GError     **error)
{
  JsonNode *node = get_member (object, "supporting_departments");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return set_member_error (error, NULL, "supporting_departments",
                                 "must be an array of strings");

      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!node_holds (element, G_TYPE_STRING) ||
              !g_utf8_validate (json_node_get_string (element), -1, NULL))
            return set_member_error (error, NULL, "supporting_departments",
                                     "must be an array of strings");
          g_strv_builder_add (builder, json_node_get_string (element));
        }
    }

  g_strfreev (*out);
  *out = g_strv_builder_end (builder);

  return TRUE;
}

static gboolean
events_from_json (JsonObject  *object,
                  GPtrArray  **out,
                  GError     **error)
{
  JsonNode *node = get_member (object, "events");
  g_autoptr(GPtrArray) events = NULL;
  JsonArray *array;

  g_clear_pointer (out, g_ptr_array_unref);

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return set_member_error (error, NULL, "events", "must be an array");

  array = json_node_get_array (node);
  events = event_array_new (json_array_get_length (array));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *prefix = g_strdup_printf ("events[%u]", i);
      g_autoptr(KefuTicketEvent) event = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return set_member_error (error, NULL, prefix, "must be an object");

      event = kefu_ticket_event_new (KEFU_EVENT_NOTE, 0);
      if (!event_from_object (json_node_get_object (element), prefix, event, error))
        return FALSE;

      g_ptr_array_add (events, g_steal_pointer (&event));
    }

  *out = g_steal_pointer (&events);

  return TRUE;
}

static gboolean
ticket_from_object (JsonObject  *object,
                    KefuTicket  *ticket,
                    GError     **error)
{
  JsonObject *member;
  gint64 value;

  if (!read_string (object, NULL, "number", &ticket->number, error) ||
      !read_int (object, NULL, "version", TRUE, 0, G_MAXINT64, &ticket->version, error))
    return FALSE;

  READ_ENUM (object, NULL, "channel", kefu_channel_from_string, &ticket->channel, error);
  READ_ENUM (object, NULL, "stage", kefu_stage_from_string, &ticket->stage, error);
  READ_ENUM (object, NULL, "category", kefu_category_from_string, &ticket->category, error);

  if (!read_string (object, NULL, "subcategory", &ticket->subcategory, error) ||
      !read_int (object, NULL, "priority", TRUE, KEFU_PRIORITY_P1, KEFU_PRIORITY_P4, &value,
                 error))
    return FALSE;
  ticket->priority = (int) value;

  READ_ENUM (object, NULL, "status", kefu_status_from_string, &ticket->status, error);

  if (!read_object (object, NULL, "customer", &member, error))
    return FALSE;
  if (member != NULL && !customer_from_json (member, &ticket->customer, error))
    return FALSE;

  if (!read_string (object, NULL, "description", &ticket->description, error) ||
      !read_time (object, NULL, "submitted_at", &ticket->submitted_at, error) ||
      !read_time (object, NULL, "registered_at", &ticket->registered_at, error) ||
      !read_user_ref (object, NULL, "registered_by", &ticket->registered_by, error) ||
      !read_user_ref (object, NULL, "assignee", &ticket->assignee, error) ||
      !read_string (object, NULL, "department", &ticket->department, error) ||
      !departments_from_json (object, &ticket->supporting_departments, error))
    return FALSE;

  if (!read_object (object, NULL, "sla", &member, error))
    return FALSE;
  if (member != NULL && !sla_from_json (member, &ticket->sla, error))
    return FALSE;

  if (!read_int (object, NULL, "escalation_level", FALSE, 0, G_MAXINT, &value, error))
    return FALSE;
  ticket->escalation_level = (int) value;

  if (!read_object (object, NULL, "resolution", &member, error))
    return FALSE;
  if (member != NULL)
    {
      ticket->resolution = g_new0 (KefuResolution, 1);
      if (!resolution_from_json (member, ticket->resolution, error))
        return FALSE;
    }

  if (!read_object (object, NULL, "confirmation", &member, error))
    return FALSE;
  if (member != NULL)
    {
      ticket->confirmation = g_new0 (KefuConfirmation, 1);
      if (!confirmation_from_json (member, ticket->confirmation, error))
        return FALSE;
    }

  if (!read_time (object, NULL, "updated_at", &ticket->updated_at, error) ||
      !attachments_from_json (object, ticket->attachments, error) ||
      !visits_from_json (object, ticket->visits, error) ||
      !returns_from_json (object, ticket->returns, error) ||
      !events_from_json (object, &ticket->events, error) ||
      !read_int (object, NULL, "timeline_total", FALSE, 0, G_MAXINT64, &ticket->timeline_total,
                 error))
    return FALSE;

  /* A document without the count (older servers) holds its whole timeline. */
  ticket->timeline_total = kefu_ticket_timeline_total (ticket);
  return TRUE;
}

KefuTicket *
kefu_ticket_from_json (JsonNode  *node,
                       GError   **error)
{
  g_autoptr(KefuTicket) ticket = NULL;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON, "ticket must be a JSON object");
      return NULL;
    }

  ticket = kefu_ticket_new ();
  if (!ticket_from_object (json_node_get_object (node), ticket, error))
    return NULL;

  return g_steal_pointer (&ticket);
}

/* ------------------------------------------------------------------------------------------ */
/* Phone masking                                                                              */

char *
kefu_mask_phone (const char *phone)
{
  g_autoptr(GString) digits = NULL;
  GString *masked;

  if (phone == NULL)
    return NULL;

  /* Separators and a leading + are dropped: only the digits say anything. Of a longer
   * international number ("+86 138 1234 5678") the last 11 digits are the national number. */
  digits = g_string_new (NULL);
  for (const char *p = phone; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
    }
  if (digits->len > 11)
    g_string_erase (digits, 0, digits->len - 11);

  masked = g_string_new (NULL);
  if (digits->len >= 11)
    {
      g_string_append_len (masked, digits->str, 3);
      g_string_append (masked, "****");
      g_string_append (masked, digits->str + digits->len - 4);
    }
  else if (digits->len > 4)
    {
      g_string_append (masked, "****");
      g_string_append (masked, digits->str + digits->len - 4);
    }
  else
    {
      g_string_append (masked, "****");
    }

  return g_string_free (masked, FALSE);
}
