"""The frozen clock two-factor tests move on between codes."""

from accounts.tests.two_factor import clock as clock
