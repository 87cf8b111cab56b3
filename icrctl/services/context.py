"""What every service call knows besides its arguments: today, who, and which command."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

TODAY_VAR = "ICRCTL_TODAY"


def amsterdam_today() -> date:
    from icrctl.domain.dates import local_today

    return local_today()


def os_user() -> str:
    """The operating system's account running icrctl, by its user id: not ``$LOGNAME`` or
    ``$USER``, which anyone can set to another name before a command."""
    try:
        import pwd
    except ImportError:  # Windows: no user ids; the login name is what there is
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "unknown"
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # an id without an entry in the user database (a container)
        return f"uid:{os.getuid()}"


def utc_now() -> datetime:
    """Naive UTC, as stored in the case file."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


@dataclass
class Context:
    """``today`` is the practitioner's day in Europe/Amsterdam; ``$ICRCTL_TODAY`` pins it (for
    reproducible printouts and tests)."""

    today: date
    user: str = field(default_factory=os_user)
    command: str = ""
    #: Team mode (PostgreSQL set up by ``team init``): ``user`` is then the database role and
    #: ``display_name`` the name it goes by. None until the case file was asked.
    team: bool | None = None
    display_name: str | None = None

    @classmethod
    def from_environment(cls, command: str = "", environ: dict[str, str] | None = None) -> Context:
        env = os.environ if environ is None else environ
        pinned = env.get(TODAY_VAR)
        if pinned:
            from icrctl.domain.dates import parse_iso_date
            from icrctl.errors import InvalidValue

            try:
                today = parse_iso_date(pinned)
            except InvalidValue as exc:
                raise InvalidValue(f"${TODAY_VAR}: {exc}") from None
        else:
            today = amsterdam_today()
        return cls(today=today, command=command)
