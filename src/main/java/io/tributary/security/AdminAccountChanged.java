package io.tributary.security;

/**
 * An admin's password changed or the admin was removed: cached verifications of its old credentials
 * must go (observed after the transaction commits).
 */
public record AdminAccountChanged(String username) {}
