"""Notifications to citizens by SMS (a brandname gateway) and Zalo (ZNS template messages), with the
texts written for people (:mod:`.messages`) and local simulators of both gateways (:mod:`.simulator`)."""
