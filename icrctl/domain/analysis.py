"""The words of the Casus Plus analysis (Kennemerland): what a factor of a member is, and the term
of an intervention. Stored as the canonical English word; the Dutch words are accepted."""

from __future__ import annotations

from icrctl.domain.vocabulary import Vocabulary
from icrctl.i18n import N_

#: What a factor of a member is: what protects (beschermende factor), what puts at risk
#: (risicofactor), or what can move the person (a lever: the children, housing, a hobby).
FACTOR_KIND = Vocabulary(
    N_("factor kind"),
    ("protective", "risk", "lever"),
    {
        "beschermend": "protective",
        "beschermende_factor": "protective",
        "risico": "risk",
        "risicofactor": "risk",
        "hefboom": "lever",
    },
)
#: The term of an intervention: the short term (what first) or the long term.
TERM = Vocabulary(
    N_("term"),
    ("short", "long"),
    {"kort": "short", "korte_termijn": "short", "lang": "long", "lange_termijn": "long"},
)
