using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ServerlessML.Data;

/// <summary>
/// Parses a number from UTF-8 or UTF-16 text the way every reader in the project does: invariant culture, to a 32-bit float. Plain
/// decimals (sign, digits, one point) whose digits fit a float exactly take a fast path that is still correctly
/// rounded: one exact integer divided by an exact power of ten is a single IEEE operation. Anything else
/// (exponents, long mantissas, NaN, Infinity) goes to <see cref="float.TryParse(ReadOnlySpan{char}, NumberStyles, IFormatProvider?, out float)"/>.
/// </summary>
public static class NumberParser
{
    private const uint MaxExactMantissa = 1 << 24;

    private static readonly float[] s_powersOfTen = [1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f];

    public static bool TryParse(ReadOnlySpan<byte> utf8, out float value) =>
        TryParseSimpleDecimal(utf8, out value) || float.TryParse(utf8, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    public static bool TryParse(ReadOnlySpan<char> text, out float value) =>
        TryParseSimpleDecimal(text, out value) || float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    // One body for bytes and chars: the JIT compiles it once for each, as if written twice.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseSimpleDecimal<T>(ReadOnlySpan<T> text, out float value)
        where T : unmanaged, IBinaryInteger<T>
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (i < text.Length && (text[i] == T.CreateTruncating('-') || text[i] == T.CreateTruncating('+')))
        {
            negative = text[i] == T.CreateTruncating('-');
            i++;
        }

        uint mantissa = 0;
        var digits = 0;
        var fractionDigits = 0;
        var seenPoint = false;
        for (; i < text.Length; i++)
        {
            var digit = uint.CreateTruncating(text[i]) - (uint)'0';
            if (digit <= 9)
            {
                if (mantissa > (MaxExactMantissa - digit) / 10)
                {
                    return false;
                }

                mantissa = (mantissa * 10) + digit;
                digits++;
                fractionDigits += seenPoint ? 1 : 0;
            }
            else if (text[i] == T.CreateTruncating('.') && !seenPoint)
            {
                seenPoint = true;
            }
            else
            {
                return false;
            }
        }

        if (digits == 0 || fractionDigits >= s_powersOfTen.Length)
        {
            return false;
        }

        value = fractionDigits == 0 ? mantissa : mantissa / s_powersOfTen[fractionDigits];
        value = negative ? -value : value;
        return true;
    }
}
