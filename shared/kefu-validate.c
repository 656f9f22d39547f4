/* kefu-validate.c — validation of untrusted input, with field-level errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kefu-validate.h"

#include <string.h>

#include "kefu-error.h"
#include "kefu-json-input.h"

#define PHONE_MIN_DIGITS      5
#define PHONE_MAX_DIGITS      20
#define EMAIL_MAX_LEN         254
#define EMAIL_LOCAL_MAX_LEN   64
#define EMAIL_LABEL_MAX_LEN   63
#define SUBMITTED_MAX_AHEAD   (5 * G_TIME_SPAN_MINUTE)
#define SUBMITTED_MIN_USEC    (G_GINT64_CONSTANT (946684800) * G_USEC_PER_SEC) /* 2000-01-01Z */

/* ------------------------------------------------------------------------------------------ */
/* Plain checks                                                                               */

gboolean
kefu_validate_phone (const char *phone)
{
  guint digits = 0;

  if (phone == NULL)
    return FALSE;

  for (const char *p = phone; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (*p == '+' && p == phone)
        continue;
      else if (*p != ' ' && *p != '-')
        return FALSE;
    }

  return digits >= PHONE_MIN_DIGITS && digits <= PHONE_MAX_DIGITS;
}

static gboolean
email_local_char_is_valid (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+/=?^_`{|}~.-", c) != NULL);
}

gboolean
kefu_validate_email (const char *email)
{
  const char *at, *domain, *label, *last_label = NULL;
  gsize len;

  if (email == NULL)
    return FALSE;

  len = strlen (email);
  if (len > EMAIL_MAX_LEN)
    return FALSE;

  at = strchr (email, '@');
  if (at == NULL || at == email || (gsize) (at - email) > EMAIL_LOCAL_MAX_LEN ||
      strchr (at + 1, '@') != NULL)
    return FALSE;

  /* Local part: dot-atom, no leading, trailing or doubled dots. */
  if (email[0] == '.' || at[-1] == '.')
    return FALSE;
  for (const char *p = email; p < at; p++)
    {
      if (!email_local_char_is_valid (*p) || (p[0] == '.' && p[1] == '.'))
        return FALSE;
    }

  /* Domain: at least two labels of letters, digits and inner hyphens; an alphabetic TLD. */
  domain = at + 1;
  label = domain;
  for (const char *p = domain;; p++)
    {
      if (*p == '.' || *p == '\0')
        {
          gsize label_len = (gsize) (p - label);

          if (label_len == 0 || label_len > EMAIL_LABEL_MAX_LEN ||
              label[0] == '-' || p[-1] == '-')
            return FALSE;
          if (*p == '\0')
            break;
          last_label = label;
          label = p + 1;
        }
      else if (!g_ascii_isalnum (*p) && *p != '-')
        {
          return FALSE;
        }
    }

  if (last_label == NULL || strlen (label) < 2)
    return FALSE;
  for (const char *p = label; *p != '\0'; p++)
    {
      if (!g_ascii_isalpha (*p))
        return FALSE;
    }

  return TRUE;
}

gboolean
kefu_validate_date (const char *date)
{
  guint year, month, day;

  if (date == NULL || strlen (date) != 10 || date[4] != '-' || date[7] != '-')
    return FALSE;

  for (guint i = 0; i < 10; i++)
    {
      if (i != 4 && i != 7 && !g_ascii_isdigit (date[i]))
        return FALSE;
    }

  year = (guint) ((date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 +
                  (date[3] - '0'));
  month = (guint) ((date[5] - '0') * 10 + (date[6] - '0'));
  day = (guint) ((date[8] - '0') * 10 + (date[9] - '0'));

  if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31)
    return FALSE;

  return g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

/* The characters that reorder how text is displayed without being seen: the Arabic letter
 * mark, the left-to-right and right-to-left marks, embeddings and overrides (U+202A–U+202E) and
 * isolates (U+2066–U+2069). A file name or a customer name that carries one can show as
 * something else than it is. */
static gboolean
is_bidi_control (gunichar c)
{
  return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069);
}

KefuTextProblem
kefu_text_check (const char *text,
                 gsize       max_chars,
                 gboolean    multiline)
{
  gsize n_chars = 0;

  g_return_val_if_fail (text != NULL, KEFU_TEXT_BAD_UTF8);

  if (!g_utf8_validate (text, -1, NULL))
    return KEFU_TEXT_BAD_UTF8;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
        {
          /* A carriage return only as the first half of a Windows line end. */
          gboolean line_break = c == '\n' || c == '\t' || (c == '\r' && p[1] == '\n');

          if (!multiline || !line_break)
            return KEFU_TEXT_CONTROL;
        }
      else if (is_bidi_control (c))
        return KEFU_TEXT_BIDI;
      else if (!multiline && (c == 0x2028 || c == 0x2029))
        return KEFU_TEXT_CONTROL;
      n_chars++;
    }

  if (n_chars > max_chars)
    return KEFU_TEXT_TOO_LONG;

  return KEFU_TEXT_OK;
}

gboolean
kefu_validate_text (const char *text,
                    gsize       max_chars,
                    gboolean    multiline)
{
  if (text == NULL)
    return FALSE;

  return kefu_text_check (text, max_chars, multiline) == KEFU_TEXT_OK;
}

gboolean
kefu_validate_text_field (const char  *text,
                          const char  *field,
                          gsize        max_chars,
                          gboolean     multiline,
                          GError     **error)
{
  g_return_val_if_fail (field != NULL, FALSE);

  if (text == NULL)
    return TRUE;

  switch (kefu_text_check (text, max_chars, multiline))
    {
    case KEFU_TEXT_OK:
      return TRUE;
    case KEFU_TEXT_BAD_UTF8:
      kefu_set_field_error (error, field, "%s is not valid UTF-8", field);
      return FALSE;
    case KEFU_TEXT_CONTROL:
      kefu_set_field_error (error, field, "%s contains control characters", field);
      return FALSE;
    case KEFU_TEXT_BIDI:
      kefu_set_field_error (error, field, "%s contains bidirectional formatting characters",
                            field);
      return FALSE;
    case KEFU_TEXT_TOO_LONG:
    default:
      kefu_set_field_error (error, field, "%s is too long (at most %" G_GSIZE_FORMAT
                            " characters)", field, max_chars);
      return FALSE;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Reading members                                                                            */

static gboolean
node_is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* A copy of @str (valid UTF-8) without leading and trailing white space, including the
 * ideographic space U+3000 of Chinese input methods. */
static char *
trim_dup (const char *str)
{
  const char *start = str;
  const char *end = str + strlen (str);

  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);

  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  return g_strndup (start, (gsize) (end - start));
}

/* Reads an optional text member: missing, null or empty after trimming → *out = NULL. With
 * @verbatim the value is kept as sent (only its emptiness is judged trimmed). */
static gboolean
read_text (JsonNode    *node,
           const char  *field,
           gsize        max_chars,
           gboolean     multiline,
           gboolean     verbatim,
           char       **out,
           GError     **error)
{
  g_autofree char *trimmed = NULL;
  const char *str;

  *out = NULL;

  if (node_is_null (node))
    return TRUE;

  if (!node_is_string (node))
    {
      kefu_set_field_error (error, field, "%s must be a string", field);
      return FALSE;
    }

  str = json_node_get_string (node);
  if (str == NULL || !g_utf8_validate (str, -1, NULL))
    {
      kefu_set_field_error (error, field, "%s is not valid UTF-8", field);
      return FALSE;
    }

  trimmed = trim_dup (str);
  if (!kefu_validate_text_field (verbatim ? str : trimmed, field, max_chars, multiline, error))
    return FALSE;

  if (*trimmed != '\0')
    *out = verbatim ? g_strdup (str) : g_steal_pointer (&trimmed);

  return TRUE;
}

static gboolean
require (const char  *value,
         const char  *field,
         GError     **error)
{
  if (value == NULL)
    {
      kefu_set_field_error (error, field, "%s is required", field);
      return FALSE;
    }

  return TRUE;
}

/* Reads an enumeration word out of @words (NULL-terminated). A missing or null member is an
 * error: callers only come here for members that must have a value. */
static gboolean
read_word (JsonNode           *node,
           const char         *field,
           const char * const *words,
           guint              *out_index,
           GError            **error)
{
  const char *str;

  if (node_is_null (node))
    {
      kefu_set_field_error (error, field, "%s is required", field);
      return FALSE;
    }

  if (node_is_string (node))
    {
      str = json_node_get_string (node);
      for (guint i = 0; words[i] != NULL; i++)
        {
          if (g_strcmp0 (words[i], str) == 0)
            {
              *out_index = i;
              return TRUE;
            }
        }
    }

  {
    g_autofree char *list = g_strjoinv (", ", (char **) words);

    kefu_set_field_error (error, field, "%s must be one of %s", field, list);
  }

  return FALSE;
}

#define FILL_WORDS(words, to_string, last)       \
  G_STMT_START {                                 \
    for (guint i_ = 0; i_ < (guint) (last); i_++) \
      (words)[i_] = to_string (i_);              \
    (words)[(last)] = NULL;                      \
  } G_STMT_END

static gboolean
read_priority (JsonNode  *node,
               int       *out,
               GError   **error)
{
  gint64 value;

  if (node_is_null (node))
    {
      kefu_set_field_error (error, "priority", "priority is required");
      return FALSE;
    }

  if (!kefu_json_node_get_int (node, "priority", 1, 4, &value, error))
    return FALSE;
  g_assert (kefu_priority_is_valid (value));
  *out = (int) value;

  return TRUE;
}

static gboolean
read_submitted_at (JsonNode  *node,
                   gint64     now_usec,
                   gint64    *out,
                   GError   **error)
{
  const char *field = "submitted_at";
  gint64 usec;

  if (node_is_null (node))
    {
      kefu_set_field_error (error, field, "%s is required", field);
      return FALSE;
    }

  if (!node_is_string (node) || !kefu_time_from_iso8601 (json_node_get_string (node), &usec))
    {
      kefu_set_field_error (error, field, "%s must be an RFC 3339 time such as "
                            "2026-11-23T08:30:00Z", field);
      return FALSE;
    }

  if (usec < SUBMITTED_MIN_USEC)
    {
      kefu_set_field_error (error, field, "%s may not be before the year 2000", field);
      return FALSE;
    }

  if (usec > now_usec + SUBMITTED_MAX_AHEAD)
    {
      kefu_set_field_error (error, field, "%s may not be in the future", field);
      return FALSE;
    }

  *out = usec;

  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* The customer                                                                               */

typedef enum {
  CUSTOMER_TEXT,
  CUSTOMER_LONG_TEXT,
  CUSTOMER_PHONE,
  CUSTOMER_EMAIL,
  CUSTOMER_DATE,
} CustomerFieldKind;

typedef struct {
  const char        *name;     /* the member; the field is "customer." + name */
  gsize              offset;   /* of the char * in KefuCustomer */
  CustomerFieldKind  kind;
  gboolean           required;
} CustomerField;

static const CustomerField customer_fields[] = {
  { "name", G_STRUCT_OFFSET (KefuCustomer, name), CUSTOMER_TEXT, TRUE },
  { "phone", G_STRUCT_OFFSET (KefuCustomer, phone), CUSTOMER_PHONE, FALSE },
  { "email", G_STRUCT_OFFSET (KefuCustomer, email), CUSTOMER_EMAIL, FALSE },
  { "code", G_STRUCT_OFFSET (KefuCustomer, code), CUSTOMER_TEXT, FALSE },
  { "order_no", G_STRUCT_OFFSET (KefuCustomer, order_no), CUSTOMER_TEXT, FALSE },
  { "product_model", G_STRUCT_OFFSET (KefuCustomer, product_model), CUSTOMER_TEXT, FALSE },
  { "serial_no", G_STRUCT_OFFSET (KefuCustomer, serial_no), CUSTOMER_TEXT, FALSE },
  { "purchase_date", G_STRUCT_OFFSET (KefuCustomer, purchase_date), CUSTOMER_DATE, FALSE },
  { "address", G_STRUCT_OFFSET (KefuCustomer, address), CUSTOMER_LONG_TEXT, FALSE },
};

static char **
customer_slot (KefuCustomer        *customer,
               const CustomerField *cf)
{
  return G_STRUCT_MEMBER_P (customer, cf->offset);
}

static gboolean
read_customer_field (JsonNode             *node,
                     const CustomerField  *cf,
                     char                **out,
                     GError              **error)
{
  g_autofree char *field = g_strconcat ("customer.", cf->name, NULL);
  g_autofree char *value = NULL;
  gboolean long_text = cf->kind == CUSTOMER_LONG_TEXT;

  if (!read_text (node, field, long_text ? KEFU_LONG_TEXT_MAX_CHARS : KEFU_SHORT_TEXT_MAX_CHARS,
                  long_text, FALSE, &value, error))
    return FALSE;

  if (cf->required && !require (value, field, error))
    return FALSE;

  if (value != NULL)
    {
      switch (cf->kind)
        {
        case CUSTOMER_PHONE:
          if (!kefu_validate_phone (value))
            {
              kefu_set_field_error (error, field, "%s is not a valid phone number", field);
              return FALSE;
            }
          break;

        case CUSTOMER_EMAIL:
          if (!kefu_validate_email (value))
            {
              kefu_set_field_error (error, field, "%s is not a valid email address", field);
              return FALSE;
            }
          break;

        case CUSTOMER_DATE:
          if (!kefu_validate_date (value))
            {
              kefu_set_field_error (error, field, "%s is not a valid date (YYYY-MM-DD)", field);
              return FALSE;
            }
          break;

        case CUSTOMER_TEXT:
        case CUSTOMER_LONG_TEXT:
        default:
          break;
        }
    }

  *out = g_steal_pointer (&value);

  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Intake and patch share one walk over the members                                           */

typedef enum {
  MODE_INTAKE,   /* every member is looked at; missing required ones are errors */
  MODE_PATCH,    /* only the members present are looked at */
} ApplyMode;

static gboolean
should_read (JsonObject *object,
             const char *name,
             ApplyMode   mode)
{
  return mode == MODE_INTAKE || json_object_has_member (object, name);
}

/* Validates the members of @object into @target (a scratch ticket). */
static gboolean
apply_members (JsonObject  *object,
               ApplyMode    mode,
               KefuTicket  *target,
               GError     **error)
{
  guint index;

  if (should_read (object, "channel", mode))
    {
      const char *words[KEFU_CHANNEL_LAST + 1];

      FILL_WORDS (words, kefu_channel_to_string, KEFU_CHANNEL_LAST);
      if (!read_word (json_object_get_member (object, "channel"), "channel", words, &index, error))
        return FALSE;
      target->channel = (KefuChannel) index;
    }

  /* stage is optional at intake (after_sale, set by kefu_ticket_new()). */
  if (mode == MODE_PATCH ? json_object_has_member (object, "stage")
                         : !node_is_null (json_object_get_member (object, "stage")))
    {
      const char *words[KEFU_STAGE_LAST + 1];

      FILL_WORDS (words, kefu_stage_to_string, KEFU_STAGE_LAST);
      if (!read_word (json_object_get_member (object, "stage"), "stage", words, &index, error))
        return FALSE;
      target->stage = (KefuStage) index;
    }

  if (should_read (object, "category", mode))
    {
      const char *words[KEFU_CATEGORY_LAST + 1];

      FILL_WORDS (words, kefu_category_to_string, KEFU_CATEGORY_LAST);
      if (!read_word (json_object_get_member (object, "category"), "category", words, &index,
                      error))
        return FALSE;
      target->category = (KefuCategory) index;
    }

  if (should_read (object, "subcategory", mode))
    {
      char *value;

      if (!read_text (json_object_get_member (object, "subcategory"), "subcategory",
                      KEFU_SHORT_TEXT_MAX_CHARS, FALSE, FALSE, &value, error))
        return FALSE;
      g_free (target->subcategory);
      target->subcategory = value;
    }

  if (should_read (object, "priority", mode) &&
      !read_priority (json_object_get_member (object, "priority"), &target->priority, error))
    return FALSE;

  if (should_read (object, "customer", mode))
    {
      JsonNode *node = json_object_get_member (object, "customer");
      JsonObject *customer;
      gboolean contact_touched = FALSE;

      if (mode == MODE_INTAKE && node_is_null (node))
        {
          kefu_set_field_error (error, "customer.name", "customer.name is required");
          return FALSE;
        }

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          kefu_set_field_error (error, "customer", "customer must be an object");
          return FALSE;
        }

      customer = json_node_get_object (node);
      for (guint i = 0; i < G_N_ELEMENTS (customer_fields); i++)
        {
          const CustomerField *cf = &customer_fields[i];
          char **slot = customer_slot (&target->customer, cf);
          char *value;

          if (!should_read (customer, cf->name, mode))
            continue;

          if (!read_customer_field (json_object_get_member (customer, cf->name), cf, &value, error))
            return FALSE;

          g_free (*slot);
          *slot = value;

          if (cf->kind == CUSTOMER_PHONE || cf->kind == CUSTOMER_EMAIL)
            contact_touched = TRUE;
        }

      if (contact_touched && target->customer.phone == NULL && target->customer.email == NULL)
        {
          kefu_set_field_error (error, "customer.phone",
                                "customer.phone or customer.email is required");
          return FALSE;
        }
    }

  if (should_read (object, "description", mode))
    {
      char *value;

      /* The customer's own words (原话记录): stored as sent, white space included; text
       * that breaks the rule is refused rather than altered. */
      if (!read_text (json_object_get_member (object, "description"), "description",
                      KEFU_DESCRIPTION_MAX_CHARS, TRUE, TRUE, &value, error))
        return FALSE;
      g_free (target->description);
      target->description = value;
      if (!require (value, "description", error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
body_object (JsonNode    *body,
             JsonObject **out,
             GError     **error)
{
  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    {
      kefu_set_field_error (error, NULL, "the request body must be a JSON object");
      return FALSE;
    }

  *out = json_node_get_object (body);

  return TRUE;
}

KefuTicket *
kefu_validate_intake (JsonNode  *body,
                      gint64     now_usec,
                      GError   **error)
{
  g_autoptr(KefuTicket) ticket = NULL;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!body_object (body, &object, error))
    return NULL;

  ticket = kefu_ticket_new ();

  if (!apply_members (object, MODE_INTAKE, ticket, error) ||
      !read_submitted_at (json_object_get_member (object, "submitted_at"), now_usec,
                          &ticket->submitted_at, error))
    return NULL;

  return g_steal_pointer (&ticket);
}

/* Moves *src into *dest when they differ and records @field as changed. */
static void
move_string (char         **dest,
             char         **src,
             const char    *field,
             GStrvBuilder  *changed)
{
  if (g_strcmp0 (*dest, *src) == 0)
    return;

  g_free (*dest);
  *dest = g_steal_pointer (src);
  g_strv_builder_add (changed, field);
}

gboolean
kefu_validate_patch (JsonNode     *body,
                     KefuTicket   *ticket,
                     GStrv        *changed_fields,
                     GError      **error)
{
  g_autoptr(KefuTicket) scratch = NULL;
  g_autoptr(GStrvBuilder) changed = NULL;
  JsonObject *object;

  g_return_val_if_fail (ticket != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (changed_fields != NULL)
    *changed_fields = NULL;

  if (!body_object (body, &object, error))
    return FALSE;

  /* Validate into a scratch copy of the editable fields, so that nothing is applied on error. */
  scratch = kefu_ticket_new ();
  scratch->channel = ticket->channel;
  scratch->stage = ticket->stage;
  scratch->category = ticket->category;
  scratch->subcategory = g_strdup (ticket->subcategory);
  scratch->priority = ticket->priority;
  for (guint i = 0; i < G_N_ELEMENTS (customer_fields); i++)
    *customer_slot (&scratch->customer, &customer_fields[i]) =
      g_strdup (*customer_slot (&ticket->customer, &customer_fields[i]));
  scratch->description = g_strdup (ticket->description);

  if (!apply_members (object, MODE_PATCH, scratch, error))
    return FALSE;

  changed = g_strv_builder_new ();

  if (scratch->channel != ticket->channel)
    {
      ticket->channel = scratch->channel;
      g_strv_builder_add (changed, "channel");
    }
  if (scratch->stage != ticket->stage)
    {
      ticket->stage = scratch->stage;
      g_strv_builder_add (changed, "stage");
    }
  if (scratch->category != ticket->category)
    {
      ticket->category = scratch->category;
      g_strv_builder_add (changed, "category");
    }
  move_string (&ticket->subcategory, &scratch->subcategory, "subcategory", changed);
  if (scratch->priority != ticket->priority)
    {
      ticket->priority = scratch->priority;
      g_strv_builder_add (changed, "priority");
    }
  for (guint i = 0; i < G_N_ELEMENTS (customer_fields); i++)
    {
      g_autofree char *field = g_strconcat ("customer.", customer_fields[i].name, NULL);

      move_string (customer_slot (&ticket->customer, &customer_fields[i]),
                   customer_slot (&scratch->customer, &customer_fields[i]),
                   field, changed);
    }
  move_string (&ticket->description, &scratch->description, "description", changed);

  if (changed_fields != NULL)
    *changed_fields = g_strv_builder_end (changed);

  return TRUE;
}
