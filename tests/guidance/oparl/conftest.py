import pytest

from tests.guidance.oparl.server import OParlServer


@pytest.fixture
def oparl_server(settings):
    """The local OParl server; the portal may read from loopback (only) while it runs."""
    settings.OPARL_ALLOW_PRIVATE_HOSTS = ["127.0.0.0/8"]
    settings.OPARL_TIMEOUT = 3
    server = OParlServer().start()
    yield server
    server.stop()
