"""Shared services that may be down: which errors mean "Redis (cache, queue) is unreachable"
and "the database is unreachable", so that callers degrade instead of failing."""

from django.db import InterfaceError, OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

REDIS_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
