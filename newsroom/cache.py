"""A Redis cache that a Redis outage cannot take down with it.

When Redis stops answering, every cache call returns what an empty cache would
(a miss), readers and the desk are served uncached, and `/healthz` says the
cache is degraded. After a failure the cache stays out of the way for a few
seconds, so requests do not each wait for Redis to time out.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Seconds to leave Redis alone after it failed.
PAUSE_AFTER_FAILURE = 5.0


def _tolerant(default_factory):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if self.failed_at and time.monotonic() - self.failed_at < PAUSE_AFTER_FAILURE:
                return default_factory(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except RedisError as error:
                if not self.failed_at:
                    logger.warning("Cache unavailable, serving uncached: %s", error)
                self.failed_at = time.monotonic()
                return default_factory(*args, **kwargs)
            self.failed_at = 0.0
            return result

        return wrapper

    return decorate


class ResilientRedisCacheClient(RedisCacheClient):
    failed_at = 0.0

    def get_client(self, key=None, *, write=False):
        # Django builds a new redis-py client for every call, which costs more than
        # the round trip (a page of 40 teasers spent 9 ms on it): keep one per pool.
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        if index not in clients:
            clients[index] = super().get_client(key, write=write)
        return clients[index]

    add = _tolerant(lambda *a, **k: False)(RedisCacheClient.add)
    get = _tolerant(lambda key, default: default)(RedisCacheClient.get)
    set = _tolerant(lambda *a, **k: None)(RedisCacheClient.set)
    touch = _tolerant(lambda *a, **k: False)(RedisCacheClient.touch)
    delete = _tolerant(lambda *a, **k: False)(RedisCacheClient.delete)
    get_many = _tolerant(lambda *a, **k: {})(RedisCacheClient.get_many)
    has_key = _tolerant(lambda *a, **k: False)(RedisCacheClient.has_key)
    set_many = _tolerant(lambda *a, **k: None)(RedisCacheClient.set_many)
    delete_many = _tolerant(lambda *a, **k: None)(RedisCacheClient.delete_many)
    clear = _tolerant(lambda *a, **k: None)(RedisCacheClient.clear)

    def incr(self, key, delta):
        if self.failed_at and time.monotonic() - self.failed_at < PAUSE_AFTER_FAILURE:
            raise ValueError("Cache unavailable")
        try:
            return super().incr(key, delta)
        except RedisError as error:
            self.failed_at = time.monotonic()
            raise ValueError("Cache unavailable") from error


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient

    @property
    def degraded(self) -> bool:
        """Redis failed within the last few seconds."""
        return bool(self._cache.failed_at)
