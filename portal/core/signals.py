"""Signal receivers of the portal frame."""

from django.db.models.signals import pre_save
from django.dispatch import receiver


@receiver(pre_save, dispatch_uid="portal_no_history_for_raw_loads")
def no_history_for_raw_loads(sender, instance, raw, **kwargs):
    """Restoring a backup (``loaddata``) must not invent history entries.

    simple_history already skips raw saves, but the many-to-many fields that ``loaddata`` sets right
    after the raw save would each add a "changed" history row; the restored history would then differ
    from the backed-up one.
    """
    if raw:
        instance.skip_history_when_saving = True
