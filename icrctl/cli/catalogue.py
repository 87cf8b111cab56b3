"""Every command, where it lives, and its one-line help: read by ``icrctl --help`` without
importing any command module (a test checks each line against the command's own help)."""

#: name -> (module, attribute: a Typer app or a command function, short help)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "status": ("icrctl.cli.caseload", "status", "The open caseload, what needs attention first."),
    "week": ("icrctl.cli.caseload", "week", "The weekly caseload printout."),
    "check": ("icrctl.cli.caseload", "check", "Signals: what needs attention, with what to do."),
    "case": ("icrctl.cli.case", "app", "Cases: create, list, show, edit, stages, close, reopen."),
    "member": ("icrctl.cli.member", "app", "Members of a case: the family system and network."),
    "partner": ("icrctl.cli.partner", "app", "Partner professionals: directory and case links."),
    "eval": ("icrctl.cli.evaluation", "app", "Evaluation meetings: schedule, record, list, ics."),
    "phase": ("icrctl.cli.phase", "app", "The regiekaart phases: set, show, history, checklist."),
    "log": ("icrctl.cli.log", "app", "The contact log: add a contact, list them."),
    "goal": ("icrctl.cli.goal", "app", "Goals of the work plan: Doel / Wie doet / Wat."),
    "werkplan": ("icrctl.cli.documents", "werkplan", "Write the werkplan of a case."),
    "report": ("icrctl.cli.documents", "report", "Write the closing report (eindrapport)."),
    "import": ("icrctl.cli.transfer", "import_", "Import cases from a YAML file (merge by key)."),
    "export": ("icrctl.cli.transfer", "export", "Export the case file, or one case, as YAML."),
    "backup": ("icrctl.cli.maintenance", "backup", "A consistent, verified copy of the case file."),
    "restore": ("icrctl.cli.maintenance", "restore", "Replace the case file with a backup."),
    "doctor": ("icrctl.cli.maintenance", "doctor", "Check the case file; exit 1 on a problem."),
    "audit": ("icrctl.cli.maintenance", "audit", "Who changed what, when."),
    "retention": ("icrctl.cli.maintenance", "retention", "Closed cases past their retention end."),
}
