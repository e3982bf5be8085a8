from ocop.evaluation.models.catalogue import (
    ChecklistItem,
    CriteriaSet,
    CriteriaVersion,
    CriterionGroup,
    CriterionLine,
    CriterionOption,
)
from ocop.evaluation.models.councils import (
    ConflictDeclaration,
    Council,
    CouncilMember,
    CouncilRules,
    Result,
    ScoreEntry,
    ScoreSheet,
    SpreadClosure,
)
from ocop.evaluation.models.dossiers import (
    AdvisoryReview,
    CommuneAssessment,
    Dossier,
    DossierEvidence,
    Round,
    Transition,
)

__all__ = [
    "AdvisoryReview",
    "ChecklistItem",
    "CommuneAssessment",
    "ConflictDeclaration",
    "Council",
    "CouncilMember",
    "CouncilRules",
    "CriteriaSet",
    "CriteriaVersion",
    "CriterionGroup",
    "CriterionLine",
    "CriterionOption",
    "Dossier",
    "DossierEvidence",
    "Result",
    "Round",
    "ScoreEntry",
    "ScoreSheet",
    "SpreadClosure",
    "Transition",
]
