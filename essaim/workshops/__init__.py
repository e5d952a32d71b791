"""Workshop sessions: creating a session, joining it, the participants' inputs, the facilitator's
actions, the grid and what the room says about it.

`from essaim import workshops` gives the sessions' public operations (the modules below hold
them); the grid, the room's aggregates, the live reads and the ranking are modules of their own.
"""

from essaim.workshops.codes import (
    CODE_ALPHABET,
    CODE_LENGTH,
    KINDS,
    MAX_DIMENSIONS,
    MAX_PROPOSAL,
    MAX_PSEUDONYM,
    MODERATION,
    PROPOSAL_KINDS,
    ROLES,
    TOKEN_PATTERN,
    generate_join_code,
    normalise_code,
)
from essaim.workshops.errors import (
    FacilitatorOnly,
    NotFound,
    SessionClosed,
    StaleGridError,
    Throttled,
    WorkshopError,
)
from essaim.workshops.facilitation import (
    current_grid,
    list_grid_versions,
    moderate_proposal,
    save_grid_version,
    set_premoderation,
    set_results_hidden,
    set_status,
    verify_facilitator,
)
from essaim.workshops.inputs import (
    add_proposal,
    clean_weights,
    delete_own_proposal,
    read_inputs,
    read_participants,
    save_proposal,
    save_rating,
    save_ratings,
    save_weights,
    set_vote,
    votes_per_input,
)
from essaim.workshops.joining import (
    WRONG_CODE,
    check_code_pace,
    check_join_code,
    count_wrong_code,
    find_participant,
    join_workshop,
    update_participant,
)
from essaim.workshops.sessions import (
    CreatedWorkshop,
    Workshop,
    create_workshop,
    find_workshop,
    list_workshops,
    read_state_version,
)
from essaim.workshops.writes import version_of_session

__all__ = [
    "CODE_ALPHABET", "CODE_LENGTH", "KINDS", "MAX_DIMENSIONS", "MAX_PROPOSAL", "MAX_PSEUDONYM",
    "MODERATION", "PROPOSAL_KINDS", "ROLES", "TOKEN_PATTERN", "WRONG_CODE", "CreatedWorkshop",
    "FacilitatorOnly", "NotFound", "SessionClosed", "StaleGridError", "Throttled", "Workshop",
    "WorkshopError", "add_proposal", "check_code_pace", "check_join_code", "clean_weights",
    "count_wrong_code", "create_workshop", "current_grid", "delete_own_proposal",
    "find_participant", "find_workshop", "generate_join_code", "join_workshop",
    "list_grid_versions", "list_workshops", "moderate_proposal", "normalise_code",
    "read_inputs", "read_participants", "read_state_version", "save_grid_version",
    "save_proposal", "save_rating", "save_ratings", "save_weights", "set_premoderation",
    "set_results_hidden", "set_status", "set_vote", "update_participant", "verify_facilitator",
    "version_of_session", "votes_per_input",
]
