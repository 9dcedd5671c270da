"""Permissions of the roadmap, the guidance pages and the municipalities' progress.

Every predicate has a queryset twin in ``guidance.selectors``:

* content (steps, tasks, pages): everybody reads; ``Redaktion`` and admins edit;
* a municipality's progress ("Unser Fahrplan"): portal staff read (Verwaltung, Koordination,
  Redaktion, admins); only the coordinators of that municipality and admins change it;
* the overview of all municipalities' progress: ``Redaktion`` and admins.
"""

import rules

from portal.rules import is_admin, is_portal_staff, is_redaktion


@rules.predicate
def coordinates_municipality(user, municipality) -> bool:
    # Imported lazily: the registry is built alongside and owns this rule.
    from networks.rules import coordinates_municipality as rule

    return bool(rule(user, municipality))


can_edit_content = is_redaktion | is_admin
can_view_progress = is_portal_staff
can_edit_progress = is_admin | coordinates_municipality
can_view_progress_overview = is_redaktion | is_admin

rules.add_perm("guidance.edit_content", can_edit_content)
rules.add_perm("guidance.view_progress", can_view_progress)
rules.add_perm("guidance.change_progress", can_edit_progress)
rules.add_perm("guidance.view_progress_overview", can_view_progress_overview)

# The admin asks django-rules for model permissions: editorial content for Redaktion and admins.
for _model in ("roadmapstep", "checklisttask", "material", "guidancepage"):
    for _action in ("view", "add", "change", "delete"):
        rules.add_perm(f"guidance.{_action}_{_model}", can_edit_content)
# The app in the admin index (shared with the catalogue, whose editors are the same roles).
if not rules.perm_exists("guidance"):
    rules.add_perm("guidance", can_edit_content)
