/* agenda-service.h: LpcAgendaService, the org.lpcagenda.Agenda1 object — the
 * generated skeleton with thin handlers that check the caller, translate
 * a{sv} to and from the core's structs, and call LpcAgenda. */
#pragma once

#include "agenda.h"
#include "lpc-agenda-generated.h"

G_BEGIN_DECLS

#define LPC_TYPE_AGENDA_SERVICE (lpc_agenda_service_get_type ())
G_DECLARE_FINAL_TYPE (LpcAgendaService, lpc_agenda_service, LPC, AGENDA_SERVICE, LpcAgenda1Skeleton)

/* @agenda is borrowed: it must outlive the service. */
LpcAgendaService *lpc_agenda_service_new (LpcAgenda *agenda);
/* Starts the reminders: the schedule, its wall-clock timer and the
 * notifier. Call it once the bus name is ours, so that the ReminderFired
 * signals of reminders missed while the daemon was not running (taken at
 * once) reach whoever watches the name. Fails only when the kernel refuses
 * a timer. */
gboolean lpc_agenda_service_start_reminders (LpcAgendaService *self, GError **error);

G_END_DECLS
