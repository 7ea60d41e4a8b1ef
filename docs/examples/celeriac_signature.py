import hashlib, hmac, time

def celeriac_signed(headers, body: bytes, secret: bytes, max_age_s: int = 300) -> bool:
    """True when an HTTP task's request carries Celeriac's signature for this exact body."""
    ts = headers.get("X-Celeriac-Timestamp", "")
    sig = headers.get("X-Celeriac-Signature", "")
    mac = hmac.new(secret, ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    fresh = ts.isdigit() and abs(time.time() - int(ts)) <= max_age_s
    return fresh and hmac.compare_digest(sig, "sha256=" + mac)
