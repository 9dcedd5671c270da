"""Writes of the good-practice catalogue: drafts, revisions and the review workflow.

Content travels as a *snapshot* dict (see ``selectors_catalogue.SNAPSHOT_FIELDS``). Each write
stores the snapshot in the example's open revision and records an :class:`ExampleEvent`.
Until the first publication the example's columns follow the working revision; afterwards
they change only when the editorial team publishes a revision, so the published text stays
visible while a change waits for review.

Every function checks the permission rule for ``user``; ``user=None`` is reserved for system
writes (the demo seed).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from guidance.models.catalogue import (
    Example,
    ExampleAttachment,
    ExampleCriterion,
    ExampleEvent,
    ExampleLink,
    ExampleParticipant,
    ExampleRevision,
    ExampleStatus,
    RevisionStatus,
)
from guidance.selectors_catalogue import (
    FieldChange,
    diff_snapshots,
    normalise_snapshot,
    open_revision,
    snapshot_of,
    working_snapshot,
)
from portal import pagecache
from portal.search import is_postgres

Action = ExampleEvent.Action


class StaleVersion(Exception):
    """Someone else saved the example after the form was loaded."""

    def __init__(self, changes: list[FieldChange]):
        super().__init__("stale version")
        self.changes = changes


@dataclass
class _Actor:
    user: object

    @property
    def db_user(self):
        return self.user if getattr(self.user, "is_authenticated", False) else None


def _require(perm: str, user, example=None) -> None:
    if user is None:  # system write (seed)
        return
    if not user.has_perm(perm, example):
        raise PermissionDenied


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:180] or "beispiel"
    slug, n = base, 2
    while Example.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _event(example, *, revision, action, user, comment="", changed_fields=None, data=None) -> ExampleEvent:
    return ExampleEvent.objects.create(
        example=example, revision=revision, action=action, user=_Actor(user).db_user, comment=comment,
        changed_fields=changed_fields or [], version=example.version, data=data,
    )


def _validate(data: dict) -> dict:
    data = normalise_snapshot(data)
    if not data["title"].strip():
        raise ValidationError({"title": _("Please enter a title.")})
    if not data["municipality"]:
        raise ValidationError({"municipality": _("Please choose the responsible municipality.")})
    return data


def _apply(example: Example, data: dict) -> None:
    """Copy a snapshot into the example's columns and related rows; refresh the search text."""
    from networks.models import Actor

    for field in (
        "title", "free_tags", "lead_name", "occasion", "goal", "implementation", "financing", "legal_form",
        "since_year", "since_month", "contact_organisation", "contact_address", "contact_phone",
        "contact_email", "figures_note",
    ):
        setattr(example, field, data[field])
    example.municipality_id = data["municipality"]
    example.lead_actor_id = data["lead_actor"]
    example.full_clean(exclude=["slug", "keywords", "municipalities", "steps", "target_groups"])
    example.save()
    example.keywords.set(data["keywords"])
    example.municipalities.set(data["municipalities"])
    example.steps.set(data["steps"])
    example.target_groups.set(data["target_groups"])
    example.participants.all().delete()
    known = set(Actor.objects.filter(pk__in=[p["actor"] for p in data["participants"] if p["actor"]]).values_list("pk", flat=True))
    ExampleParticipant.objects.bulk_create(
        ExampleParticipant(example=example, actor_id=p["actor"] if p["actor"] in known else None, name=p["name"], order=i)
        for i, p in enumerate(data["participants"])
    )
    example.links.all().delete()
    ExampleLink.objects.bulk_create(
        ExampleLink(example=example, url=link["url"], label=link["label"], order=i) for i, link in enumerate(data["links"])
    )
    example.criteria.all().delete()
    ExampleCriterion.objects.bulk_create(
        ExampleCriterion(example=example, criterion=c["criterion"], justification=c["justification"])
        for c in data["criteria"]
    )
    _refresh_search(example)


def _refresh_search(example: Example) -> None:
    keywords = " ".join(example.keywords.values_list("name", flat=True))
    participants = " ".join(example.participants.values_list("name", flat=True))
    Example.objects.filter(pk=example.pk).update(
        keywords_text=f"{keywords} {example.free_tags.replace(',', ' ')}".strip(), participants_text=participants,
    )
    if is_postgres():
        from django.contrib.postgres.search import SearchVector

        vector = (
            SearchVector("title", weight="A", config="german")
            + SearchVector("keywords_text", weight="B", config="german")
            + SearchVector("occasion", "goal", "implementation", weight="C", config="german")
            + SearchVector(
                "financing", "lead_name", "participants_text", "contact_organisation", weight="D", config="german",
            )
        )
        Example.objects.filter(pk=example.pk).update(search_vector=vector)
    example.refresh_from_db(fields=["keywords_text", "participants_text", "search_vector"])
    pagecache.bump()  # queryset updates send no signals


def _bump(example: Example, user) -> None:
    example.version += 1
    example._history_user = _Actor(user).db_user
    example.save(update_fields=["version", "status", "updated_at", "published_at", "last_published_at"])


@transaction.atomic
def example_create(*, user, data: dict, slug: str | None = None) -> Example:
    _require("guidance.add_catalogue_example", user)
    data = _validate(data)
    if user is not None and not user.has_perm("guidance.edit_catalogue_example", _Probe(data["municipality"])):
        raise PermissionDenied
    example = Example(slug=slug or _unique_slug(data["title"]), status=ExampleStatus.DRAFT, created_by=_Actor(user).db_user)
    example._history_user = _Actor(user).db_user
    _apply(example, data)
    revision = ExampleRevision.objects.create(example=example, number=1, data=data, author=_Actor(user).db_user)
    _event(example, revision=revision, action=Action.CREATED, user=user, data=data,
           changed_fields=[c.field for c in diff_snapshots({}, data)])
    return example


class _Probe:
    """Stands in for an example of a given municipality when asking the edit rule."""

    status = ExampleStatus.DRAFT

    def __init__(self, municipality_id):
        self.municipality_id = municipality_id


@transaction.atomic
def example_save(*, example: Example, user, data: dict, version: int) -> Example:
    """Save new content for ``example`` as its working revision (optimistic locking on ``version``)."""
    example = Example.objects.select_for_update().get(pk=example.pk)
    _require("guidance.edit_catalogue_example", user, example)
    data = _validate(data)
    if user is not None and data["municipality"] != example.municipality_id and not user.has_perm(
        "guidance.edit_catalogue_example", _Probe(data["municipality"])
    ):
        raise PermissionDenied
    current = working_snapshot(example)
    if version != example.version:
        loaded = ExampleEvent.objects.filter(example=example, version=version).exclude(data=None).first()
        raise StaleVersion(diff_snapshots(loaded.data if loaded else {}, current))
    revision = open_revision(example)
    if revision is not None and revision.status != RevisionStatus.DRAFT:
        raise ValidationError(_("This example is under review and cannot be changed until the review is finished."))
    changes = diff_snapshots(current, data)
    if not changes:
        return example
    if revision is None:
        last = example.revisions.order_by("-number").values_list("number", flat=True).first() or 0
        revision = ExampleRevision(example=example, number=last + 1, author=_Actor(user).db_user)
    revision.data = data
    revision.save()
    if example.published_at is None:
        example._history_user = _Actor(user).db_user
        _apply(example, data)
    _bump(example, user)
    _event(example, revision=revision, action=Action.SAVED, user=user, data=data,
           changed_fields=[c.field for c in changes])
    return example


def _transition(example: Example, *, allowed: tuple, to: str, perm: str, user) -> ExampleRevision:
    _require(perm, user, example)
    revision = open_revision(example)
    if revision is None or revision.status not in allowed:
        raise ValidationError(_("This step is not possible in the example's current state."))
    revision.status = to
    return revision


@transaction.atomic
def example_submit(*, example: Example, user) -> Example:
    revision = _transition(
        example, allowed=(RevisionStatus.DRAFT,), to=RevisionStatus.SUBMITTED,
        perm="guidance.submit_catalogue_example", user=user,
    )
    revision.save(update_fields=["status", "updated_at"])
    if example.published_at is None or example.status == ExampleStatus.ARCHIVED:
        example.status = ExampleStatus.SUBMITTED
    _bump(example, user)
    _event(example, revision=revision, action=Action.SUBMITTED, user=user, data=revision.data)
    return example


@transaction.atomic
def example_start_review(*, example: Example, user) -> Example:
    revision = _transition(
        example, allowed=(RevisionStatus.SUBMITTED,), to=RevisionStatus.IN_REVIEW,
        perm="guidance.review_catalogue_example", user=user,
    )
    revision.reviewed_by = _Actor(user).db_user
    revision.save(update_fields=["status", "reviewed_by", "updated_at"])
    if example.status == ExampleStatus.SUBMITTED:
        example.status = ExampleStatus.IN_REVIEW
    _bump(example, user)
    _event(example, revision=revision, action=Action.REVIEW_STARTED, user=user, data=revision.data)
    return example


def _require_comment(comment: str) -> str:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Please explain in a comment what should change.")})
    return comment


@transaction.atomic
def example_request_changes(*, example: Example, user, comment: str) -> Example:
    comment = _require_comment(comment)
    revision = _transition(
        example, allowed=(RevisionStatus.SUBMITTED, RevisionStatus.IN_REVIEW), to=RevisionStatus.DRAFT,
        perm="guidance.review_catalogue_example", user=user,
    )
    revision.save(update_fields=["status", "updated_at"])
    if example.status in (ExampleStatus.SUBMITTED, ExampleStatus.IN_REVIEW):
        example.status = ExampleStatus.DRAFT
    _bump(example, user)
    _event(example, revision=revision, action=Action.CHANGES_REQUESTED, user=user, comment=comment, data=revision.data)
    return example


@transaction.atomic
def example_publish(*, example: Example, user, comment: str = "") -> Example:
    revision = _transition(
        example, allowed=(RevisionStatus.SUBMITTED, RevisionStatus.IN_REVIEW), to=RevisionStatus.PUBLISHED,
        perm="guidance.review_catalogue_example", user=user,
    )
    now = timezone.now()
    revision.reviewed_by, revision.reviewed_at = _Actor(user).db_user, now
    revision.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    example._history_user = _Actor(user).db_user
    _apply(example, revision.data)
    example.status = ExampleStatus.PUBLISHED
    example.published_at = example.published_at or now
    example.last_published_at = now
    _bump(example, user)
    _event(example, revision=revision, action=Action.PUBLISHED, user=user, comment=comment.strip(), data=revision.data)
    return example


@transaction.atomic
def example_reject(*, example: Example, user, comment: str) -> Example:
    comment = _require_comment(comment)
    revision = _transition(
        example, allowed=(RevisionStatus.SUBMITTED, RevisionStatus.IN_REVIEW), to=RevisionStatus.REJECTED,
        perm="guidance.review_catalogue_example", user=user,
    )
    revision.reviewed_by, revision.reviewed_at = _Actor(user).db_user, timezone.now()
    revision.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    if example.published_at is None:
        example.status = ExampleStatus.ARCHIVED
    elif example.status != ExampleStatus.ARCHIVED:
        # The published text stays; bring the working content back to it.
        example.status = ExampleStatus.PUBLISHED
    _bump(example, user)
    _event(example, revision=revision, action=Action.REJECTED, user=user, comment=comment, data=snapshot_of(example))
    return example


@transaction.atomic
def example_archive(*, example: Example, user, comment: str = "") -> Example:
    _require("guidance.review_catalogue_example", user, example)
    if example.status == ExampleStatus.ARCHIVED:
        raise ValidationError(_("This example is already archived."))
    revision = open_revision(example)
    if revision is not None:
        revision.status = RevisionStatus.REJECTED
        revision.save(update_fields=["status", "updated_at"])
    example.status = ExampleStatus.ARCHIVED
    _bump(example, user)
    _event(example, revision=revision, action=Action.ARCHIVED, user=user, comment=(comment or "").strip(),
           data=snapshot_of(example))
    return example


@transaction.atomic
def attachment_add(*, example: Example, user, title: str, file) -> ExampleAttachment:
    """Attach a file to the working revision; it becomes public when that revision is published."""
    _require("guidance.edit_catalogue_example", user, example)
    revision = open_revision(example)
    if revision is None:
        last = example.revisions.order_by("-number").values_list("number", flat=True).first() or 0
        revision = ExampleRevision.objects.create(
            example=example, number=last + 1, data=working_snapshot(example), author=_Actor(user).db_user,
        )
    if revision.status != RevisionStatus.DRAFT:
        raise ValidationError(_("This example is under review and cannot be changed until the review is finished."))
    attachment = ExampleAttachment(example=example, revision=revision, title=title.strip() or file.name, file=file)
    attachment.full_clean()
    attachment.save()
    return attachment
