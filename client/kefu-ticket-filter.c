/* kefu-ticket-filter.c — which tickets a view shows
 *
 * Copyright 2026 Kefu developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kefu-ticket-filter"

#include "config.h"

#include <string.h>

#include "kefu-client-enums.h"
#include "kefu-ticket-filter.h"

struct _KefuTicketFilter
{
  GtkFilter        parent_instance;

  KefuTicketList  *tickets;

  KefuTicketScope  scope;
  gint64           user_id;
  char            *department;
  char            *search;
  char           **search_words;  /* casefolded */
  int              priority;
  gboolean         open_only;
};

G_DEFINE_FINAL_TYPE (KefuTicketFilter, kefu_ticket_filter, GTK_TYPE_FILTER)

enum {
  PROP_0,
  PROP_TICKETS,
  PROP_SCOPE,
  PROP_USER_ID,
  PROP_DEPARTMENT,
  PROP_SEARCH,
  PROP_PRIORITY,
  PROP_OPEN_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gboolean
kefu_ticket_filter_matches (KefuTicketFilter *self,
                            KefuTicketObject *ticket)
{
  g_return_val_if_fail (KEFU_IS_TICKET_FILTER (self), FALSE);
  g_return_val_if_fail (KEFU_IS_TICKET_OBJECT (ticket), FALSE);

  if (self->open_only && !kefu_ticket_object_get_is_open (ticket))
    return FALSE;

  if (self->priority != 0 && kefu_ticket_object_get_priority (ticket) != self->priority)
    return FALSE;

  switch (self->scope)
    {
    case KEFU_TICKET_SCOPE_MINE:
      if (self->user_id == 0 || kefu_ticket_object_get_assignee_id (ticket) != self->user_id)
        return FALSE;
      break;

    case KEFU_TICKET_SCOPE_UNASSIGNED:
      if (kefu_ticket_object_get_assignee_id (ticket) != 0)
        return FALSE;
      break;

    case KEFU_TICKET_SCOPE_ALL:
    default:
      break;
    }

  if (self->department != NULL)
    {
      KefuTicket *t = kefu_ticket_object_get_ticket (ticket);

      if (g_strcmp0 (t->department, self->department) != 0
          && (t->supporting_departments == NULL
              || !g_strv_contains ((const char * const *) t->supporting_departments,
                                   self->department)))
        return FALSE;
    }

  if (self->search_words != NULL
      && !kefu_ticket_object_matches_words (ticket, (const char * const *) self->search_words))
    return FALSE;

  return TRUE;
}

static gboolean
kefu_ticket_filter_match (GtkFilter *filter,
                          gpointer   item)
{
  return kefu_ticket_filter_matches (KEFU_TICKET_FILTER (filter), item);
}

static GtkFilterMatch
kefu_ticket_filter_get_strictness (GtkFilter *filter)
{
  KefuTicketFilter *self = KEFU_TICKET_FILTER (filter);

  if (!self->open_only && self->priority == 0 && self->scope == KEFU_TICKET_SCOPE_ALL
      && self->department == NULL && self->search_words == NULL)
    return GTK_FILTER_MATCH_ALL;

  return GTK_FILTER_MATCH_SOME;
}

/* What the criteria look at, as KefuTicketChange bits. */
static KefuTicketChange
relevant_changes (KefuTicketFilter *self)
{
  KefuTicketChange relevant = KEFU_TICKET_CHANGE_NONE;

  if (self->open_only)
    relevant |= KEFU_TICKET_CHANGE_STATUS;
  if (self->priority != 0)
    relevant |= KEFU_TICKET_CHANGE_PRIORITY;
  if (self->scope != KEFU_TICKET_SCOPE_ALL)
    relevant |= KEFU_TICKET_CHANGE_ASSIGNEE;
  if (self->department != NULL)
    relevant |= KEFU_TICKET_CHANGE_DEPARTMENT;
  if (self->search_words != NULL)
    relevant |= KEFU_TICKET_CHANGE_TEXT;

  return relevant;
}

static void
on_tickets_changed (KefuTicketFilter *self,
                    guint             change,
                    KefuTicketList   *tickets)
{
  if (change & relevant_changes (self))
    gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_DIFFERENT);
}

KefuTicketFilter *
kefu_ticket_filter_new (KefuTicketList *tickets)
{
  g_return_val_if_fail (tickets == NULL || KEFU_IS_TICKET_LIST (tickets), NULL);

  return g_object_new (KEFU_TYPE_TICKET_FILTER, "tickets", tickets, NULL);
}

/* ---- criteria ---------------------------------------------------------------------------- */

KefuTicketScope
kefu_ticket_filter_get_scope (KefuTicketFilter *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_FILTER (self), KEFU_TICKET_SCOPE_ALL);

  return self->scope;
}

void
kefu_ticket_filter_set_scope (KefuTicketFilter *self,
                              KefuTicketScope   scope)
{
  GtkFilterChange change;

  g_return_if_fail (KEFU_IS_TICKET_FILTER (self));

  if (self->scope == scope)
    return;

  if (self->scope == KEFU_TICKET_SCOPE_ALL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (scope == KEFU_TICKET_SCOPE_ALL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else
    change = GTK_FILTER_CHANGE_DIFFERENT;

  self->scope = scope;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCOPE]);
  gtk_filter_changed (GTK_FILTER (self), change);
}

gint64
kefu_ticket_filter_get_user_id (KefuTicketFilter *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_FILTER (self), 0);

  return self->user_id;
}

void
kefu_ticket_filter_set_user_id (KefuTicketFilter *self,
                                gint64            user_id)
{
  g_return_if_fail (KEFU_IS_TICKET_FILTER (self));

  if (self->user_id == user_id)
    return;

  self->user_id = user_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_ID]);
  if (self->scope == KEFU_TICKET_SCOPE_MINE)
    gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_DIFFERENT);
}

const char *
kefu_ticket_filter_get_department (KefuTicketFilter *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_FILTER (self), NULL);

  return self->department;
}

void
kefu_ticket_filter_set_department (KefuTicketFilter *self,
                                   const char       *department)
{
  GtkFilterChange change;

  g_return_if_fail (KEFU_IS_TICKET_FILTER (self));

  if (department != NULL && department[0] == '\0')
    department = NULL;
  if (g_strcmp0 (self->department, department) == 0)
    return;

  if (self->department == NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (department == NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else
    change = GTK_FILTER_CHANGE_DIFFERENT;

  g_free (self->department);
  self->department = g_strdup (department);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEPARTMENT]);
  gtk_filter_changed (GTK_FILTER (self), change);
}

const char *
kefu_ticket_filter_get_search (KefuTicketFilter *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_FILTER (self), NULL);

  return self->search;
}

static char **
split_words (const char *text)
{
  g_autofree char *folded = NULL;
  g_auto(GStrv) parts = NULL;
  GPtrArray *words;

  if (text == NULL)
    return NULL;

  folded = g_utf8_casefold (text, -1);
  parts = g_strsplit_set (folded, " \t\n\r", -1);
  words = g_ptr_array_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] != '\0')
        g_ptr_array_add (words, g_strdup (parts[i]));
    }

  if (words->len == 0)
    {
      g_ptr_array_free (words, TRUE);
      return NULL;
    }

  g_ptr_array_add (words, NULL);
  return (char **) g_ptr_array_free (words, FALSE);
}

void
kefu_ticket_filter_set_search (KefuTicketFilter *self,
                               const char       *search)
{
  g_autofree char *old = NULL;
  GtkFilterChange change;

  g_return_if_fail (KEFU_IS_TICKET_FILTER (self));

  if (g_strcmp0 (self->search, search) == 0)
    return;

  old = g_steal_pointer (&self->search);
  self->search = g_strdup (search);
  g_clear_pointer (&self->search_words, g_strfreev);
  self->search_words = split_words (search);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);

  /* Typing on narrows, deleting widens. */
  if (old == NULL || (search != NULL && g_str_has_prefix (search, old)))
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (search == NULL || g_str_has_prefix (old, search))
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else
    change = GTK_FILTER_CHANGE_DIFFERENT;

  gtk_filter_changed (GTK_FILTER (self), change);
}

int
kefu_ticket_filter_get_priority (KefuTicketFilter *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_FILTER (self), 0);

  return self->priority;
}

void
kefu_ticket_filter_set_priority (KefuTicketFilter *self,
                                 int               priority)
{
  GtkFilterChange change;

  g_return_if_fail (KEFU_IS_TICKET_FILTER (self));
  g_return_if_fail (priority >= 0 && priority <= 4);

  if (self->priority == priority)
    return;

  if (self->priority == 0)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (priority == 0)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else
    change = GTK_FILTER_CHANGE_DIFFERENT;

  self->priority = priority;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIORITY]);
  gtk_filter_changed (GTK_FILTER (self), change);
}

gboolean
kefu_ticket_filter_get_open_only (KefuTicketFilter *self)
{
  g_return_val_if_fail (KEFU_IS_TICKET_FILTER (self), FALSE);

  return self->open_only;
}

void
kefu_ticket_filter_set_open_only (KefuTicketFilter *self,
                                  gboolean          open_only)
{
  g_return_if_fail (KEFU_IS_TICKET_FILTER (self));

  open_only = !!open_only;
  if (self->open_only == open_only)
    return;

  self->open_only = open_only;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN_ONLY]);
  gtk_filter_changed (GTK_FILTER (self),
                      open_only ? GTK_FILTER_CHANGE_MORE_STRICT : GTK_FILTER_CHANGE_LESS_STRICT);
}

/* ---- GObject ----------------------------------------------------------------------------- */

static void
kefu_ticket_filter_constructed (GObject *object)
{
  KefuTicketFilter *self = KEFU_TICKET_FILTER (object);

  G_OBJECT_CLASS (kefu_ticket_filter_parent_class)->constructed (object);

  if (self->tickets != NULL)
    g_signal_connect_object (self->tickets, "tickets-changed",
                             G_CALLBACK (on_tickets_changed), self, G_CONNECT_SWAPPED);
}

static void
kefu_ticket_filter_finalize (GObject *object)
{
  KefuTicketFilter *self = KEFU_TICKET_FILTER (object);

  g_clear_object (&self->tickets);
  g_free (self->department);
  g_free (self->search);
  g_strfreev (self->search_words);

  G_OBJECT_CLASS (kefu_ticket_filter_parent_class)->finalize (object);
}

static void
kefu_ticket_filter_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  KefuTicketFilter *self = KEFU_TICKET_FILTER (object);

  switch (prop_id)
    {
    case PROP_TICKETS:
      g_value_set_object (value, self->tickets);
      break;

    case PROP_SCOPE:
      g_value_set_enum (value, self->scope);
      break;

    case PROP_USER_ID:
      g_value_set_int64 (value, self->user_id);
      break;

    case PROP_DEPARTMENT:
      g_value_set_string (value, self->department);
      break;

    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;

    case PROP_PRIORITY:
      g_value_set_int (value, self->priority);
      break;

    case PROP_OPEN_ONLY:
      g_value_set_boolean (value, self->open_only);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_ticket_filter_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  KefuTicketFilter *self = KEFU_TICKET_FILTER (object);

  switch (prop_id)
    {
    case PROP_TICKETS:
      self->tickets = g_value_dup_object (value);
      break;

    case PROP_SCOPE:
      kefu_ticket_filter_set_scope (self, g_value_get_enum (value));
      break;

    case PROP_USER_ID:
      kefu_ticket_filter_set_user_id (self, g_value_get_int64 (value));
      break;

    case PROP_DEPARTMENT:
      kefu_ticket_filter_set_department (self, g_value_get_string (value));
      break;

    case PROP_SEARCH:
      kefu_ticket_filter_set_search (self, g_value_get_string (value));
      break;

    case PROP_PRIORITY:
      kefu_ticket_filter_set_priority (self, g_value_get_int (value));
      break;

    case PROP_OPEN_ONLY:
      kefu_ticket_filter_set_open_only (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kefu_ticket_filter_class_init (KefuTicketFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkFilterClass *filter_class = GTK_FILTER_CLASS (klass);

  object_class->constructed = kefu_ticket_filter_constructed;
  object_class->finalize = kefu_ticket_filter_finalize;
  object_class->get_property = kefu_ticket_filter_get_property;
  object_class->set_property = kefu_ticket_filter_set_property;

  filter_class->match = kefu_ticket_filter_match;
  filter_class->get_strictness = kefu_ticket_filter_get_strictness;

  properties[PROP_TICKETS] =
    g_param_spec_object ("tickets", NULL, NULL,
                         KEFU_TYPE_TICKET_LIST,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SCOPE] =
    g_param_spec_enum ("scope", NULL, NULL,
                       KEFU_TYPE_TICKET_SCOPE, KEFU_TICKET_SCOPE_ALL,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_USER_ID] =
    g_param_spec_int64 ("user-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_DEPARTMENT] =
    g_param_spec_string ("department", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PRIORITY] =
    g_param_spec_int ("priority", NULL, NULL,
                      0, 4, 0,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_OPEN_ONLY] =
    g_param_spec_boolean ("open-only", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kefu_ticket_filter_init (KefuTicketFilter *self)
{
}
