/* conflict-records.h: the D-Bus side of conflicts — GetConflicts',
 * Resolve's, GetFreeTime's and CheckProgram's arguments read and checked,
 * and their answers as the a{sv} records dbus/org.lpcagenda.Agenda1.xml
 * documents. Translation only: what the records say is worked out in
 * agenda-conflicts.c. */
#pragma once

#include "agenda-conflicts.h"

G_BEGIN_DECLS

/* Resolve's options: apply b. INVALID_ARGUMENT names a bad key or type. */
gboolean lpc_resolve_options_read (GVariant *options, gboolean *out_apply, GError **error);
/* GetFreeTime's filter: day s; *out_day is NULL without one (borrowed from
 * @filter). */
gboolean lpc_free_time_filter_read (GVariant *filter, const char **out_day, GError **error);

/* aa{sv}: the conflict records of @conflicts; with @only_id, those that
 * involve that entry (Add's "conflicts"). Floating. */
GVariant *lpc_conflict_records_new (LpcAgendaConflicts *conflicts, const char *only_id);
/* aa{sv}: program-clash records (LpcConflict*). Floating. */
GVariant *lpc_program_clash_records_new (GPtrArray *defects);
/* a{sv}: Resolve's plan. Floating. */
GVariant *lpc_plan_record_new (LpcAgendaResolution *resolution);
/* aa{sv}: one record per free window, by date and start. Floating. */
GVariant *lpc_free_time_records_new (LpcAgendaFreeTime *free_time);

G_END_DECLS
