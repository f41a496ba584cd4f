"""Who may state a member's position on a proposal. Pure.

A nation's position is stated by the officers it designates to speak for it: its
liaison officers (the ``contributor`` role) and its administrators. Its planners,
monitors and viewers read every position they may see but state none; nobody states
another member's position.
"""

from __future__ import annotations

from coalition.core.principal import Principal, Role

# The roles through which a member states its position.
POSITION_ROLES = frozenset({Role.CONTRIBUTOR, Role.ADMIN})


def position_refusal(principal: Principal, member: str) -> str | None:
    """Why ``principal`` may not state ``member``'s position, or ``None`` if they may."""
    if principal.is_anonymous or principal.member is None:
        return "sign in to state your member's position"
    if principal.member != member:
        return "you may state the position of your own member only"
    if principal.role not in POSITION_ROLES:
        role = principal.role.value if principal.role else "none"
        return (
            f"{member}'s position is stated by its liaison officers (contributor role) "
            f"and administrators; your role ({role}) may read positions only"
        )
    return None


def may_state_position(principal: Principal, member: str) -> bool:
    """True when ``principal`` speaks for ``member`` on proposals."""
    return position_refusal(principal, member) is None
