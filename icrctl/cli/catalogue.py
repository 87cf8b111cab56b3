"""Every command, where it lives, and its one-line help: read by ``icrctl --help`` without
importing any command module (a test checks each line against the command's own help)."""

from icrctl.i18n import N_

#: name -> (module, attribute: a Typer app or a command function, short help). The short help is
#: English, marked for the catalogue; ``icrctl --help`` shows it in the language in use.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "status": ("icrctl.cli.caseload", "status",
        N_("The open caseload, what needs attention first.")),
    "week": ("icrctl.cli.caseload", "week",
        N_("The weekly caseload printout.")),
    "check": ("icrctl.cli.caseload", "check",
        N_("Signals: what needs attention, with what to do.")),
    "case": ("icrctl.cli.case", "app",
        N_("Cases: create, list, show, edit, stages, close, reopen.")),
    "member": ("icrctl.cli.member", "app",
        N_("Members of a case: the family system and network.")),
    "partner": ("icrctl.cli.partner", "app",
        N_("Partner professionals: directory and case links.")),
    "eval": ("icrctl.cli.evaluation", "app",
        N_("Evaluation meetings: schedule, record, list, ics.")),
    "phase": ("icrctl.cli.phase", "app",
        N_("The regiekaart phases: set, show, history, checklist.")),
    "log": ("icrctl.cli.log", "app",
        N_("The contact log: add a contact, list them.")),
    "goal": ("icrctl.cli.goal", "app",
        N_("Goals of the work plan: Doel / Wie doet / Wat.")),
    "analysis": ("icrctl.cli.analysis", "app",
        N_("The Casus Plus analysis: factors, interventions, roles.")),
    "werkplan": ("icrctl.cli.documents", "werkplan",
        N_("Write the werkplan of a case.")),
    "report": ("icrctl.cli.documents", "report",
        N_("Write the closing report (eindrapport).")),
    "import": ("icrctl.cli.transfer", "import_",
        N_("Import cases from a YAML file (merge by key).")),
    "export": ("icrctl.cli.transfer", "export",
        N_("Export the case file, or one case, as YAML.")),
    "backup": ("icrctl.cli.maintenance", "backup",
        N_("A consistent, verified copy of the case file.")),
    "restore": ("icrctl.cli.maintenance", "restore",
        N_("Replace the case file with a backup.")),
    "doctor": ("icrctl.cli.maintenance", "doctor",
        N_("Check the case file; exit 1 on a problem.")),
    "audit": ("icrctl.cli.maintenance", "audit",
        N_("Who changed what, when.")),
    "retention": ("icrctl.cli.maintenance", "retention",
        N_("Closed cases past their retention end.")),
}  # fmt: skip
