"""Models of the guidance app: the roadmap and guidance pages (roadmap.py) and the
good-practice catalogue (catalogue.py)."""

from guidance.models.catalogue import *  # noqa: F401,F403,E402
from guidance.models.pages import GuidancePage  # noqa: F401,E402
from guidance.models.progress import (  # noqa: F401,E402
    ResolutionEvidence,
    ResolutionResult,
    StepProgress,
    StepStatus,
)
from guidance.models.roadmap import (  # noqa: F401,E402
    Area,
    ChecklistTask,
    Material,
    MaterialKind,
    RoadmapStep,  # noqa: F401
)
