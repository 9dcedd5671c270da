"""Models of the guide: the roadmap (roadmap.py), guidance pages (pages.py) and each municipality's
progress along the roadmap (progress.py). The good-practice catalogue is its own app,
``guidance.catalogue``.

The imports below re-export the models so Django and callers find them as ``guidance.models.X``;
that is why they carry ``noqa: F401`` (unused here by design).
"""

from guidance.models.oparl import ConsultationChange, CouncilSystem, LinkedPaper  # noqa: F401 - re-export
from guidance.models.pages import GuidancePage  # noqa: F401 - re-export
from guidance.models.progress import (  # noqa: F401 - re-export
    ResolutionEvidence,
    ResolutionResult,
    StepProgress,
    StepStatus,
)
from guidance.models.roadmap import (  # noqa: F401 - re-export
    Area,
    ChecklistTask,
    Material,
    MaterialKind,
    RoadmapStep,
)
