"""Delivery of subscriptions: the dispatcher, its pacing, error triage and supervision."""

from bot.delivery.config import DeliveryConfig
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.supervisor import Supervisor

__all__ = ["DeliveryConfig", "Dispatcher", "Supervisor"]
