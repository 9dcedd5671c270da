"""Models of the foundation.

The page cache's content version (``ContentVersion``) was a row here; the page cache now keeps the
versions of its scopes in the shared cache (``portal.core.pagecache``), and migration 0002 drops the
table.

``SentNotice`` remembers which periodic e-mail went to whom and when (``portal.core.notices``), so that
a command run again by a scheduler within its period sends nothing twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SentNotice(models.Model):
    """One periodic e-mail of kind ``kind`` sent to ``user`` at ``sent_at``."""

    kind = models.CharField(_("kind"), max_length=50)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                             related_name="+")
    sent_at = models.DateTimeField(_("sent at"), db_index=True)

    class Meta:
        verbose_name = _("sent notice")
        verbose_name_plural = _("sent notices")
        indexes = [models.Index(fields=["kind", "user", "sent_at"], name="portal_notice_kind_user")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id} ({self.sent_at:%Y-%m-%d})"
