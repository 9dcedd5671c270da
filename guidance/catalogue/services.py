"""Writes of the good-practice catalogue: drafts, revisions and the review workflow.

Content travels as a *snapshot* dict (declared in ``guidance.catalogue.content``). Each write stores
the snapshot in the example's open revision and records an :class:`ExampleEvent`. Until the first
publication the example's columns follow the working revision; afterwards they change only when the
editorial team publishes a revision, so the published text stays visible while a change waits for
review.

Every function is keyword-only and asks the rule in ``guidance.catalogue.rules`` for ``user``;
``user=None`` is reserved for system writes (the demo content). Saving an edit uses optimistic
locking (``portal.core.locking``): a save after someone else's is refused with ``EditConflict``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override as language

from guidance.catalogue import content, rules
from guidance.catalogue.models import (
    Example,
    ExampleAttachment,
    ExampleEvent,
    ExampleRevision,
    ExampleStatus,
    RevisionStatus,
)
from guidance.catalogue.selectors import (
    changes_since,
    editorial_team_emails,
    open_revision,
    submitter_emails,
    working_snapshot,
)
from networks import selectors as registry
from portal.core import locking
from portal.core.text import MESSAGE as CONTROL_MESSAGE
from portal.core.text import TEXT_MAX_CHARS, german_slugify, has_control_characters

Action = ExampleEvent.Action


def _require(allowed: Any, user: Any) -> None:
    if user is not None and not allowed:
        raise PermissionDenied


def _db_user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = german_slugify(title)[:180] or "beispiel"
    slug, n = base, 2
    others = Example.objects.exclude(pk=exclude_pk) if exclude_pk is not None else Example.objects.all()
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _event(example: Example, *, revision: ExampleRevision | None, action: str, user: Any, comment: str = "",
           changed_fields: list[str] | None = None, data: dict[str, Any] | None = None) -> ExampleEvent:
    return ExampleEvent.objects.create(
        example=example, revision=revision, action=action, user=_db_user(user), comment=comment,
        changed_fields=changed_fields or [], version=example.version, data=data,
    )


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


def _validate(data: dict[str, Any]) -> dict[str, Any]:
    data = content.normalise(data)
    # Revisions keep the snapshot as it is: check every text of it, also where no column holds it,
    # as the columns check theirs (plain text of a sensible length).
    errors: dict[str, list[str]] = {}
    for name in content.NAMES:
        field = content.FORM_FIELD.get(name, name)
        if name in content.COLUMNS:
            try:
                model_field = Example._meta.get_field(name)
                if isinstance(model_field, models.Field):  # the content's columns are plain fields
                    model_field.run_validators(data[name])
            except ValidationError as error:
                errors[field] = error.messages
        texts = _texts(data[name])
        if any(has_control_characters(text) for text in texts):
            errors.setdefault(field, []).append(str(CONTROL_MESSAGE))
        if any(len(text) > TEXT_MAX_CHARS for text in texts):
            errors.setdefault(field, []).append(
                _("At most %(max)s characters, please.") % {"max": TEXT_MAX_CHARS}
            )
    if errors:
        raise ValidationError(errors)
    if not data["title"].strip():
        raise ValidationError({"title": _("Please enter a title.")})
    if not data["municipality"]:
        raise ValidationError({"municipality": _("Please choose the responsible municipality.")})
    return data


def _apply(example: Example, data: dict[str, Any], *, user: Any) -> None:
    """Copy a snapshot into the example's columns and related rows (which also refreshes its search)."""
    example._history_user = _db_user(user)  # type: ignore[attr-defined]  # read by simple_history
    participants = [p["actor"] for p in data["participants"] if p["actor"]]
    known = set(registry.actor_names(ids=participants)) if participants else set()
    content.apply(example, data, known_actors=known)


def _bump(example: Example, user: Any) -> None:
    example.version += 1
    example._history_user = _db_user(user)  # type: ignore[attr-defined]  # read by simple_history
    example.save(update_fields=["version", "status", "updated_at", "published_at", "last_published_at"])


@transaction.atomic
def example_create(*, user: Any, data: dict[str, Any], slug: str | None = None) -> Example:
    _require(rules.can_add_example(user), user)
    data = _validate(data)
    _require(rules.can_write_for_municipality(user, data["municipality"]), user)
    example = Example(slug=slug or _unique_slug(data["title"]), status=ExampleStatus.DRAFT, created_by=_db_user(user))
    _apply(example, data, user=user)
    revision = ExampleRevision.objects.create(example=example, number=1, data=data, author=_db_user(user))
    _event(example, revision=revision, action=Action.CREATED, user=user, data=data,
           changed_fields=content.changed({}, data))
    return example


@transaction.atomic
def example_save(*, example: Example, user: Any, data: dict[str, Any], version: int) -> Example:
    """Save new content for ``example`` as its working revision (optimistic locking on ``version``)."""
    example = locking.lock(Example, pk=example.pk)
    _require(rules.can_edit_example(user, example), user)
    data = _validate(data)
    if data["municipality"] != example.municipality_id:
        _require(rules.can_write_for_municipality(user, data["municipality"]), user)
    locking.check(example, version=version, changes=lambda: changes_since(example=example, version=version))
    current = working_snapshot(example=example)
    revision = open_revision(example=example)
    if revision is not None and revision.status != RevisionStatus.DRAFT:
        raise ValidationError(_("This example is under review and cannot be changed until the review is finished."))
    changed = content.changed(current, data)
    if not changed and current == data:  # (a new order of participants or links alone is kept, not listed)
        return example
    if revision is None:
        last = example.revisions.order_by("-number").values_list("number", flat=True).first() or 0
        revision = ExampleRevision(example=example, number=last + 1, author=_db_user(user))
    revision.data = data
    revision.save()
    if example.published_at is None:
        _apply(example, data, user=user)
    _bump(example, user)
    _event(example, revision=revision, action=Action.SAVED, user=user, data=data, changed_fields=changed)
    return example


def _transition(example: Example, *, allowed: tuple[str, ...], to: str, permitted: Any, user: Any) -> ExampleRevision:
    _require(permitted, user)
    revision = open_revision(example=example)
    if revision is None or revision.status not in allowed:
        raise ValidationError(_("This step is not possible in the example's current state."))
    revision.status = to
    return revision


# --- E-mails of the review workflow --------------------------------------------------------------
#
# The Redaktion hears of every submitted example; whoever submitted it hears whether it was published or
# sent back, with the reviewer's reason. Mails go out once the transaction is committed (a mail server
# that fails is logged and changes nothing that was decided), in German, with links to SITE_URL.


def _mail(template: str, *, to: list[str], context: dict[str, Any]) -> None:
    """One e-mail per recipient from ``templates/emails/<template>.txt`` and ``<template>_subject.txt``."""
    from django.core.mail import EmailMessage, get_connection
    from django.template.loader import render_to_string

    if not to:
        return
    with language(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        body = render_to_string(f"emails/{template}.txt", context)
    get_connection().send_messages([EmailMessage(subject, body, to=[address]) for address in to])


def _notify(template: str, *, example: Example, to: list[str], user: Any, comment: str = "") -> None:
    from django.urls import reverse

    if user is None:  # system writes (the demo content) tell nobody
        return
    sender = getattr(user, "email", "")
    recipients = [address for address in to if address and address != sender]  # nobody is told of their own step
    context = {
        "example": example,
        "title": example.title,
        "municipality": example.municipality.name if example.municipality_id else "",
        "comment": comment,
        "person": (user.get_full_name() or user.get_username()) if getattr(user, "is_authenticated", False) else "",
        "example_url": settings.SITE_URL + example.get_absolute_url(),
        "review_url": settings.SITE_URL + reverse("catalogue:review", kwargs={"slug": example.slug}),
        "site_url": settings.SITE_URL,
    }
    transaction.on_commit(lambda: _mail(template, to=recipients, context=context), robust=True)


@transaction.atomic
def example_submit(*, example: Example, user: Any) -> Example:
    revision = _transition(
        example, allowed=(RevisionStatus.DRAFT,), to=RevisionStatus.SUBMITTED,
        permitted=rules.can_submit_example(user, example), user=user,
    )
    revision.save(update_fields=["status", "updated_at"])
    if example.published_at is None or example.status == ExampleStatus.ARCHIVED:
        example.status = ExampleStatus.SUBMITTED
    _bump(example, user)
    _event(example, revision=revision, action=Action.SUBMITTED, user=user, data=revision.data)
    _notify("example_submitted", example=example, to=editorial_team_emails(), user=user)
    return example


@transaction.atomic
def example_start_review(*, example: Example, user: Any) -> Example:
    revision = _transition(
        example, allowed=(RevisionStatus.SUBMITTED,), to=RevisionStatus.IN_REVIEW,
        permitted=rules.can_review_example(user, example), user=user,
    )
    revision.reviewed_by = _db_user(user)
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
def example_request_changes(*, example: Example, user: Any, comment: str) -> Example:
    comment = _require_comment(comment)
    revision = _transition(
        example, allowed=(RevisionStatus.SUBMITTED, RevisionStatus.IN_REVIEW), to=RevisionStatus.DRAFT,
        permitted=rules.can_review_example(user, example), user=user,
    )
    revision.save(update_fields=["status", "updated_at"])
    if example.status in (ExampleStatus.SUBMITTED, ExampleStatus.IN_REVIEW):
        example.status = ExampleStatus.DRAFT
    _bump(example, user)
    _event(example, revision=revision, action=Action.CHANGES_REQUESTED, user=user, comment=comment, data=revision.data)
    _notify("example_changes_requested", example=example, to=submitter_emails(revision=revision), user=user,
            comment=comment)
    return example


def _four_eyes(revision: ExampleRevision, user: Any) -> None:
    """With ``CATALOGUE_FOUR_EYES`` (on in production) nobody publishes a revision they wrote or submitted."""
    if user is None or not settings.CATALOGUE_FOUR_EYES:
        return
    submitted_by = set(
        ExampleEvent.objects.filter(revision=revision, action=Action.SUBMITTED).values_list("user_id", flat=True)
    )
    if user.pk == revision.author_id or user.pk in submitted_by:
        raise ValidationError(_(
            "Four-eyes principle: you wrote or submitted this revision, so another member of the editorial "
            "team publishes it."
        ))


@transaction.atomic
def example_publish(*, example: Example, user: Any, comment: str = "") -> Example:
    revision = _transition(
        example, allowed=(RevisionStatus.SUBMITTED, RevisionStatus.IN_REVIEW), to=RevisionStatus.PUBLISHED,
        permitted=rules.can_review_example(user, example), user=user,
    )
    _four_eyes(revision, user)
    now = timezone.now()
    revision.reviewed_by, revision.reviewed_at = _db_user(user), now
    revision.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    _apply(example, content.normalise(revision.data), user=user)
    example.status = ExampleStatus.PUBLISHED
    example.published_at = example.published_at or now
    example.last_published_at = now
    _bump(example, user)
    _event(example, revision=revision, action=Action.PUBLISHED, user=user, comment=comment.strip(), data=revision.data)
    _notify("example_published", example=example, to=submitter_emails(revision=revision), user=user,
            comment=comment.strip())
    return example


@transaction.atomic
def example_reject(*, example: Example, user: Any, comment: str) -> Example:
    comment = _require_comment(comment)
    revision = _transition(
        example, allowed=(RevisionStatus.SUBMITTED, RevisionStatus.IN_REVIEW), to=RevisionStatus.REJECTED,
        permitted=rules.can_review_example(user, example), user=user,
    )
    revision.reviewed_by, revision.reviewed_at = _db_user(user), timezone.now()
    revision.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    if example.published_at is None:
        example.status = ExampleStatus.ARCHIVED
    elif example.status != ExampleStatus.ARCHIVED:
        # The published text stays; bring the working content back to it.
        example.status = ExampleStatus.PUBLISHED
    _bump(example, user)
    _event(example, revision=revision, action=Action.REJECTED, user=user, comment=comment,
           data=content.snapshot_of(example))
    _notify("example_rejected", example=example, to=submitter_emails(revision=revision), user=user, comment=comment)
    return example


@transaction.atomic
def example_archive(*, example: Example, user: Any, comment: str = "") -> Example:
    _require(rules.can_review_example(user, example), user)
    if example.status == ExampleStatus.ARCHIVED:
        raise ValidationError(_("This example is already archived."))
    revision = open_revision(example=example)
    if revision is not None:
        revision.status = RevisionStatus.REJECTED
        revision.save(update_fields=["status", "updated_at"])
    example.status = ExampleStatus.ARCHIVED
    _bump(example, user)
    _event(example, revision=revision, action=Action.ARCHIVED, user=user, comment=(comment or "").strip(),
           data=content.snapshot_of(example))
    return example


@transaction.atomic
def attachment_add(*, example: Example, user: Any, title: str, file: Any) -> ExampleAttachment:
    """Attach a file to the working revision; it becomes public when that revision is published."""
    _require(rules.can_edit_example(user, example), user)
    revision = open_revision(example=example)
    if revision is None:
        last = example.revisions.order_by("-number").values_list("number", flat=True).first() or 0
        revision = ExampleRevision.objects.create(
            example=example, number=last + 1, data=working_snapshot(example=example), author=_db_user(user),
        )
    if revision.status != RevisionStatus.DRAFT:
        raise ValidationError(_("This example is under review and cannot be changed until the review is finished."))
    attachment = ExampleAttachment(example=example, revision=revision, title=title.strip() or file.name, file=file)
    attachment.full_clean()
    attachment.save()
    return attachment
